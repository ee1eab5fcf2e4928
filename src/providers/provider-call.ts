import { HttpAnswer, HttpClient, PostOptions, classifyRequestError, parseJson } from './http/http-client';
import { SendTarget } from './adapter';
import { Failure, Permanent, RateLimited, SendResult, Sent, Transient, withPartsSent } from './outcomes';

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Posts to a provider and classifies the answer; network failures are classified the same way for all. */
export async function callProvider(
  http: HttpClient,
  target: SendTarget,
  url: string,
  body: unknown,
  classify: (answer: HttpAnswer) => SendResult,
  options: Omit<PostOptions, 'timeoutMs'> = {},
): Promise<SendResult> {
  let answer: HttpAnswer;
  try {
    answer = await http.postJson(url, body, {
      timeoutMs: target.channel.config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...options,
    });
  } catch (error) {
    return classifyRequestError(error);
  }
  return classify(answer);
}

/** An answer a provider's open API gave, its code field and all, as opposed to a failure to get one. */
export interface CodedAnswer<T = Record<string, unknown>> {
  json: T;
}

export const isCodedAnswer = <T>(value: CodedAnswer<T> | Failure): value is CodedAnswer<T> => 'json' in value;

/**
 * Calls an open API that answers JSON with a numeric code (`errcode` for WeCom, `code` for
 * Feishu): a network failure or a 5xx is classified, an answer without the code is a failure, and
 * any answer with it is returned for the caller to read.
 */
export async function codedAnswer<T = Record<string, unknown>>(
  send: () => Promise<HttpAnswer>,
  codeField: string,
): Promise<CodedAnswer<T> | Failure> {
  let answer: HttpAnswer;
  try {
    answer = await send();
  } catch (error) {
    return classifyRequestError(error);
  }
  if (answer.status >= 500) return new Transient(`HTTP ${answer.status}`, String(answer.status));
  const json = parseJson(answer.text);
  if (!json || typeof json[codeField] !== 'number') {
    return answer.status >= 300
      ? new Permanent(String(answer.status), answer.text.slice(0, 300))
      : new Transient(`unexpected answer: ${answer.text.slice(0, 200)}`);
  }
  return { json: json as T };
}

/** 5xx is the provider's trouble (retry); other non-2xx statuses are ours (do not). */
export function statusFailure(answer: HttpAnswer): Failure | undefined {
  if (answer.status >= 500)
    return new Transient(`HTTP ${answer.status}: ${answer.text.slice(0, 200)}`, String(answer.status));
  if (answer.status >= 300)
    return new Permanent(String(answer.status), answer.text.slice(0, 500) || `HTTP ${answer.status}`);
  return undefined;
}

/** Sends the parts of a split message in order, from where an earlier attempt stopped. */
export async function deliverParts<P>(
  parts: P[],
  skip: number,
  sendOne: (part: P, index: number) => Promise<SendResult>,
): Promise<SendResult> {
  let externalId: string | undefined;
  for (let index = skip; index < parts.length; index++) {
    const result = await sendOne(parts[index], index);
    if (result.kind !== 'ok') return withPartsSent(result, index);
    externalId ??= result.externalId;
  }
  return new Sent(externalId, parts.length);
}

/** Pictures the markdown does not show already (a template may put the poster in it), for providers whose markdown shows pictures. */
export function picturesNotIn(markdown: string, images: readonly string[] | undefined): string[] {
  return (images ?? []).filter((url) => !markdown.includes(`](${url})`));
}

/** Robots that demand a keyword refuse a message without one; add the first when none is there. */
export function withKeyword(text: string, keywords: string[] | undefined): string {
  if (!keywords?.length || keywords.some((k) => text.includes(k))) return text;
  return `${text}\n\n${keywords[0]}`;
}

/**
 * WeCom and DingTalk robots answer HTTP 200 with `{ errcode, errmsg }`: 0 is success, -1 is
 * "system busy", one code means rate limited, every other code is a refusal.
 */
export function classifyErrcode(answer: HttpAnswer, rateCode: number, rateWaitMs: number): SendResult {
  const failure = statusFailure(answer);
  if (failure) return failure;
  const json = parseJson(answer.text);
  if (!json || typeof json.errcode !== 'number')
    return new Transient(`unexpected answer: ${answer.text.slice(0, 200)}`);
  const code = json.errcode;
  const reason = String(json.errmsg ?? '');
  if (code === 0) return new Sent();
  if (code === rateCode) return new RateLimited(rateWaitMs, String(code), reason);
  if (code === -1) return new Transient(reason, String(code));
  return new Permanent(String(code), reason);
}
