import { SizeUnit, sizeIn } from '../common/text-size';
import { Format } from './formats';

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

export interface FormatNote {
  channel: string;
  message: string;
}

/** What a channel does to a text beyond its size: a WeCom robot's markdown shows no pictures. */
export function formatNotes(format: Format, text: string): FormatNote[] {
  if (format !== 'markdown' || !/!\[[^\]\n]*\]\([^)\s]+\)/.test(text)) return [];
  return [
    {
      channel: 'wecom',
      message:
        'WeCom robots show no pictures in markdown: ![…](…) is taken out of the text (the piece’s own pictures follow as image messages, any other becomes a link)',
    },
  ];
}
