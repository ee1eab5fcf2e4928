import { DateTime } from 'luxon';
import { inZone } from '../common/local-time';

/** Handlebars passes an options object as the last argument of every helper. */
interface HelperOptions {
  data?: { root?: { group?: { timezone?: string } } };
}

const isOptions = (value: unknown): value is HelperOptions =>
  typeof value === 'object' && value !== null && 'hash' in value && 'data' in value;

function args(raw: unknown[]): { params: unknown[]; options: HelperOptions } {
  const options = raw[raw.length - 1];
  return isOptions(options) ? { params: raw.slice(0, -1), options } : { params: raw, options: {} };
}

export const DEFAULT_DATE_FORMAT = 'yyyy年M月d日';

/** The instant a helper's argument names: Dates, epoch milliseconds, or ISO 8601 text (Luxon's rules). */
function instantOf(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const text = String(value);
  // Timestamps as the service writes them (toISOString) need no more than the engine's parser.
  const native = Date.parse(text);
  if (Number.isFinite(native) && new Date(native).toISOString() === text) return native;
  const parsed = DateTime.fromISO(text, { setZone: true });
  return parsed.isValid ? parsed.toMillis() : undefined;
}

/** Luxon tokens that print a zone's name rather than its offset (outside quoted text). */
const ZONE_NAME_TOKEN = /z|ZZZZ/;

/** Luxon tokens, rendered in the group's time zone and in Chinese: "M月d日 EEEE" → 11月23日 星期一. */
export function formatDate(value: unknown, format: string, timezone: string): string {
  const instant = instantOf(value);
  if (instant === undefined || !Number.isFinite(instant)) return '';
  // A format that names the zone (z, ZZZZ) needs the zone itself, not only its offset then.
  const local = ZONE_NAME_TOKEN.test(format)
    ? DateTime.fromMillis(instant, { zone: timezone, locale: 'zh-CN' })
    : inZone(instant, timezone, 'zh-CN');
  return local.isValid ? local.toFormat(format) : '';
}

/** Number formats by currency and precision: making one costs far more than using it. */
const priceFormats = new Map<string, Intl.NumberFormat>();
const PRICE_FORMATS_KEPT = 64;

function priceFormat(currency: string, whole: boolean): Intl.NumberFormat {
  const key = `${currency}|${whole}`;
  let format = priceFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat('zh-CN', {
      style: 'currency',
      currency,
      minimumFractionDigits: whole ? 0 : 2,
      maximumFractionDigits: 2,
    });
    if (priceFormats.size >= PRICE_FORMATS_KEPT) priceFormats.clear();
    priceFormats.set(key, format);
  }
  return format;
}

/** ¥1,299 for whole amounts, ¥12.90 otherwise. */
export function formatPrice(amount: unknown, currency = 'CNY'): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return '';
  return priceFormat(currency, Number.isInteger(value)).format(value);
}

const numberFormat = new Intl.NumberFormat('zh-CN');

export function formatNumber(value: unknown): string {
  const n = Number(value);
  return Number.isFinite(n) ? numberFormat.format(n) : '';
}

const segmenter = new Intl.Segmenter('zh-CN', { granularity: 'grapheme' });

/** Cuts to `length` user-visible characters (emoji and CJK count as one) and adds an ellipsis. */
export function truncate(value: unknown, length: number, ellipsis = '…'): string {
  const text = value === undefined || value === null ? '' : String(value);
  const graphemes = Array.from(segmenter.segment(text), (s) => s.segment);
  if (graphemes.length <= length) return text;
  return graphemes.slice(0, Math.max(0, length)).join('').replace(/\\$/, '') + ellipsis;
}

export function createHelpers(defaultTimezone: string): Record<string, (...raw: unknown[]) => unknown> {
  return {
    date: (...raw) => {
      const { params, options } = args(raw);
      const format = typeof params[1] === 'string' ? params[1] : DEFAULT_DATE_FORMAT;
      return formatDate(params[0], format, options.data?.root?.group?.timezone ?? defaultTimezone);
    },
    price: (...raw) => {
      const { params } = args(raw);
      return formatPrice(params[0], typeof params[1] === 'string' ? params[1] : undefined);
    },
    number: (...raw) => formatNumber(args(raw).params[0]),
    truncate: (...raw) => {
      const { params } = args(raw);
      return truncate(params[0], Number(params[1]), typeof params[2] === 'string' ? params[2] : undefined);
    },
    default: (...raw) => {
      const { params } = args(raw);
      return params.find((v) => v !== undefined && v !== null && v !== '') ?? '';
    },
    add: (...raw) => {
      const { params } = args(raw);
      return params.reduce<number>((sum, v) => sum + Number(v), 0);
    },
    join: (...raw) => {
      const { params } = args(raw);
      return Array.isArray(params[0]) ? params[0].join(typeof params[1] === 'string' ? params[1] : '、') : '';
    },
    eq: (...raw) => {
      const { params } = args(raw);
      return params[0] === params[1];
    },
  };
}

export const BUILTIN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', 'log'];
