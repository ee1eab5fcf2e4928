import { MAX_TRACKED_LINKS } from './link-codes';

/**
 * http(s) URLs as they appear in rendered text: bare, in markdown `[label](url)` or `<url>`. A URL
 * stops at whitespace, quotes, brackets and full-width punctuation; trailing sentence punctuation
 * is not part of it.
 */
const URL_IN_TEXT = /https?:\/\/[^\s<>"'`()[\]{}（）【】「」《》，。！？、；：]+/g;
const TRAILING = /[.,;:!?*_~]+$/;
/** Markdown images: a picture's address is not a link anyone clicks. */
const MARKDOWN_IMAGE = /!\[[^\]]*\]\(\s*<?([^)\s>]+)/g;

interface Found {
  url: string;
  start: number;
  end: number;
}

function findLinks(text: string): Found[] {
  const images = new Set<number>();
  for (const match of text.matchAll(MARKDOWN_IMAGE)) images.add(match.index + match[0].length - match[1].length);
  const found: Found[] = [];
  for (const match of text.matchAll(URL_IN_TEXT)) {
    if (images.has(match.index)) continue;
    const url = match[0].replace(TRAILING, '');
    found.push({ url, start: match.index, end: match.index + url.length });
  }
  return found;
}

/** A post's distinct links in order of first appearance across its renderings: what link index i names. */
export function linkTargets(texts: string[]): string[] {
  const seen = new Set<string>();
  for (const text of texts) {
    for (const { url } of findLinks(text)) {
      if (seen.size >= MAX_TRACKED_LINKS) return [...seen];
      seen.add(url);
    }
  }
  return [...seen];
}

/** Replaces each link that is among `targets` with what `replacement` gives for its index. */
export function rewriteLinks(text: string, targets: string[], replacement: (index: number) => string): string {
  const indexes = new Map(targets.map((url, i) => [url, i]));
  let out = '';
  let at = 0;
  for (const { url, start, end } of findLinks(text)) {
    const index = indexes.get(url);
    if (index === undefined) continue;
    out += text.slice(at, start) + replacement(index);
    at = end;
  }
  return out + text.slice(at);
}
