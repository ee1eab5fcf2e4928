export const FORMATS = ['text', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];
