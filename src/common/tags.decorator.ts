import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import { Omittable } from './omittable.decorator';

/** Line breaks, tabs and other control characters: never part of a tag or a name. */
export const CONTROL = /[\p{Cc}]/u;
export const ONE_LINE = /^[^\p{Cc}]*$/u;
/** One line with something other than spaces on it: what a name or a tag must be, as one pattern. */
export const NOT_BLANK_LINE = /^[^\p{Cc}]*[^\p{Cc}\s][^\p{Cc}]*$/u;

/** A tag as stored: trimmed, inner runs of spaces as one space, Unicode NFC. */
export function normalizeTag(tag: string): string {
  return tag.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

/**
 * Close to how the database compares two tags (its collation ignores case, accents and width):
 * `VIP`, `vip` and `ＶＩＰ`, `é` and `e`, `ß` and `ss` are one tag there, so they are one tag here
 * too. The services then ask the database itself (`distinctByCollation`) for what this misses.
 */
function tagKey(tag: string): string {
  return normalizeTag(tag)
    .normalize('NFKC')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\p{M}\p{Default_Ignorable_Code_Point}]/gu, '');
}

/** Normalised tags, each once (the first spelling wins); anything that is not a string is left for the validators to name. */
export function normalizeTags(tags: unknown[]): unknown[] {
  const seen = new Set<string>();
  return tags.flatMap((tag) => {
    // Left as given for the validators to name: a tag is one line.
    if (typeof tag !== 'string' || CONTROL.test(tag)) return [tag];
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
    Matches(NOT_BLANK_LINE, {
      each: true,
      message: 'each must be one line with text on it, without line breaks, tabs or control characters',
    }),
  );

/** One tag in a filter, normalised like stored tags. */
export const TagFilter = () =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeTag(value) : value)),
    IsOptional(),
    IsString(),
    Length(1, 64),
  );
