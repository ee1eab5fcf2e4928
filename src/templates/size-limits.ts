import { Format } from './formats';

export type SizeUnit = 'bytes' | 'characters';

export interface SizeLimit {
  channel: string;
  format: Format;
  unit: SizeUnit;
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

/**
 * A text's size as a provider counts it against its limit. Slack and Telegram count characters
 * in UTF-16 code units (an emoji outside the BMP is two), which is never fewer than code points.
 */
export function sizeIn(unit: SizeUnit, text: string): number {
  return unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length;
}

export interface SizeWarning extends SizeLimit {
  size: number;
  message: string;
}

/** The limits `text` passes, counted exactly as the adapters' splitting counts them. */
export function sizeWarnings(format: Format, text: string): SizeWarning[] {
  return SIZE_LIMITS.filter((l) => l.format === format && sizeIn(l.unit, text) > l.limit).map((l) => {
    const size = sizeIn(l.unit, text);
    return { ...l, size, message: `${size} ${l.unit} exceeds ${l.channel} ${format} limit of ${l.limit} ${l.unit}; it will be split into several messages` };
  });
}
