import { Format } from './formats';

export interface SizeLimit {
  channel: string;
  format: Format;
  unit: 'bytes' | 'characters';
  limit: number;
}

/** Provider limits on one message (../shared/channels/README.md). */
export const SIZE_LIMITS: SizeLimit[] = [
  { channel: 'wecom', format: 'text', unit: 'bytes', limit: 2048 },
  { channel: 'wecom', format: 'markdown', unit: 'bytes', limit: 4096 },
  { channel: 'telegram', format: 'text', unit: 'characters', limit: 4096 },
  { channel: 'telegram', format: 'markdown', unit: 'characters', limit: 4096 },
  { channel: 'feishu', format: 'text', unit: 'bytes', limit: 20 * 1024 },
  { channel: 'feishu', format: 'markdown', unit: 'bytes', limit: 20 * 1024 },
  { channel: 'slack', format: 'markdown', unit: 'characters', limit: 3000 },
];

export interface TextSize {
  characters: number;
  bytes: number;
}

export function measure(text: string): TextSize {
  let characters = 0;
  for (const _ of text) characters++;
  return { characters, bytes: Buffer.byteLength(text, 'utf8') };
}

export interface SizeWarning extends SizeLimit {
  size: number;
  message: string;
}

export function sizeWarnings(format: Format, size: TextSize): SizeWarning[] {
  return SIZE_LIMITS.filter((l) => l.format === format && size[l.unit] > l.limit).map((l) => ({
    ...l,
    size: size[l.unit],
    message: `${size[l.unit]} ${l.unit} exceeds ${l.channel} ${format} limit of ${l.limit} ${l.unit}; it will be split into several messages`,
  }));
}
