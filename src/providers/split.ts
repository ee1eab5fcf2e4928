import { SizeUnit, sizeIn } from '../common/text-size';

export interface PartLimit {
  unit: SizeUnit;
  max: number;
  /** Named in the refusal, e.g. "WeCom text". */
  label: string;
}

export type SplitResult = { parts: string[] } | { refused: string };

/**
 * Packs paragraphs (separated by blank lines) into as few parts as fit the limit, in order.
 * A paragraph that cannot fit alone is refused rather than cut mid-sentence.
 */
export function splitIntoParts(text: string, limit: PartLimit): SplitResult {
  if (sizeIn(limit.unit, text) <= limit.max) return { parts: [text] };
  const paragraphs = text.split(/\n{2,}/);
  const parts: string[] = [];
  let current = '';
  for (const [index, paragraph] of paragraphs.entries()) {
    const size = sizeIn(limit.unit, paragraph);
    if (size > limit.max) {
      return {
        refused: `paragraph ${index + 1} is ${size} ${limit.unit}, more than the ${limit.max} ${limit.unit} one ${limit.label} message can hold`,
      };
    }
    const joined = current ? `${current}\n\n${paragraph}` : paragraph;
    if (sizeIn(limit.unit, joined) <= limit.max) {
      current = joined;
    } else {
      parts.push(current);
      current = paragraph;
    }
  }
  if (current) parts.push(current);
  return { parts };
}

/** The longest start of `text` that fits in `max` UTF-8 bytes, cut between characters, with `…` when cut. */
export function fitBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let out = '';
  let bytes = Buffer.byteLength('…');
  for (const char of text) {
    bytes += Buffer.byteLength(char);
    if (bytes > max) break;
    out += char;
  }
  return `${out}…`;
}
