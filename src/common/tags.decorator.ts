import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length } from 'class-validator';
import { Omittable } from './omittable.decorator';

/** A tag as stored: trimmed, inner runs of white space as one space, Unicode NFC. */
export function normalizeTag(tag: string): string {
  return tag.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

/**
 * How the database compares two tags (its default collations ignore case and accents): `VIP`
 * and `vip`, or `é` and `e`, are one tag there, so they are one tag here too.
 */
function tagKey(tag: string): string {
  return normalizeTag(tag).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Normalised tags, each once (the first spelling wins); anything that is not a string is left for the validators to name. */
export function normalizeTags(tags: unknown[]): unknown[] {
  const seen = new Set<string>();
  return tags.flatMap((tag) => {
    if (typeof tag !== 'string') return [tag];
    const key = tagKey(tag);
    if (seen.has(key)) return [];
    seen.add(key);
    return [normalizeTag(tag)];
  });
}

const normalizedList = () =>
  Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? normalizeTags(value) : value));

/** An optional list of up to `max` tags of 1–64 characters, normalised and each kept once. */
export const TagList = (max = 20) =>
  applyDecorators(
    normalizedList(),
    Omittable(),
    IsArray(),
    ArrayMaxSize(max),
    IsString({ each: true }),
    Length(1, 64, { each: true }),
  );

/** One tag in a filter, normalised like stored tags. */
export const TagFilter = () =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeTag(value) : value)),
    IsOptional(),
    IsString(),
    Length(1, 64),
  );
