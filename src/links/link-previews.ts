/**
 * Link-preview fetchers of the chat apps groupcast sends to, and crawlers: their requests are
 * recorded as previews, not clicks. The in-app browsers (MicroMessenger, wxwork, DingTalk, Lark)
 * are people and do not match.
 */
const PREVIEW_AGENTS =
  /bot\b|bot[-/]|crawler|spider|preview|unfurl|linkexpand|imgproxy|facebookexternalhit|whatsapp\/|skypeuripreview|embedly|^$/i;

export interface RequestSignals {
  method: string;
  userAgent: string | undefined;
  /** `Purpose` or `Sec-Purpose`: browsers prefetching say so. */
  purpose: string | undefined;
}

export function isPreview({ method, userAgent, purpose }: RequestSignals): boolean {
  if (method === 'HEAD') return true;
  if (purpose && /prefetch|preview/i.test(purpose)) return true;
  return PREVIEW_AGENTS.test((userAgent ?? '').trim());
}
