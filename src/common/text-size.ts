export type SizeUnit = 'bytes' | 'characters';

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
