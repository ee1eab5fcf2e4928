import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the api role under /console; every call goes to the same origin's /v1 API.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
});
