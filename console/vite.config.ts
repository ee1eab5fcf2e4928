import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

// Served by the api role under /console; every call goes to the same origin's /v1 API. Each file is
// also written brotli- and gzip-compressed, so the server sends the smaller one and compresses nothing itself.
export default defineConfig({
  base: '/console/',
  plugins: [react(), compression({ algorithms: ['gzip', 'brotliCompress'], deleteOriginalAssets: false })],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
});
