import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';

/** WeCom pads to 32-byte blocks (PKCS#7 with a block of 32), not AES's own 16. */
const BLOCK = 32;

/** What WeCom's admin console holds for a callback URL, and the corp id the messages must name. */
export interface CallbackSecrets {
  token: string;
  encodingAesKey: string;
  corpId: string;
}

/** The query WeCom signs a callback with. */
export interface SignedQuery {
  signature: string;
  timestamp: string;
  nonce: string;
}

/** A customer-group change (`Event=change_external_chat`), as the decrypted XML names it. */
export interface ChatChange {
  chatId: string;
  changeType: 'create' | 'update' | 'dismiss';
  updateDetail?: string;
  /** How many members joined or left, on add_member and del_member. */
  memberChange?: number;
  /** WeCom's time of the event, in seconds. */
  createTime?: number;
}

const parser = new XMLParser({ parseTagValue: false, processEntities: false });

/** SHA-1 of token, timestamp, nonce and the payload, sorted and joined: the msg_signature WeCom sends. */
export function callbackSignature(token: string, timestamp: string, nonce: string, payload: string): string {
  return createHash('sha1').update([token, timestamp, nonce, payload].sort().join('')).digest('hex');
}

/** Whether the query's signature is WeCom's over this payload, compared in constant time. */
export function signedByWecom(secrets: CallbackSecrets, query: SignedQuery, payload: string): boolean {
  const expected = Buffer.from(callbackSignature(secrets.token, query.timestamp, query.nonce, payload));
  const given = Buffer.from(query.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function keyOf(encodingAesKey: string): Buffer {
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

/**
 * The message inside a payload: AES-256-CBC with the EncodingAESKey (its first 16 bytes the IV),
 * then 16 random bytes, the message's length (4 bytes, big-endian), the message and the corp id.
 * Undefined when it does not decrypt or names another corp.
 */
export function openPayload(secrets: CallbackSecrets, payload: string): string | undefined {
  try {
    const key = keyOf(secrets.encodingAesKey);
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    const padded = Buffer.concat([decipher.update(Buffer.from(payload, 'base64')), decipher.final()]);
    const pad = padded[padded.length - 1];
    if (pad < 1 || pad > BLOCK) return undefined;
    const plain = padded.subarray(0, padded.length - pad);
    const length = plain.readUInt32BE(16);
    if (20 + length > plain.length) return undefined;
    const corpId = plain.subarray(20 + length).toString('utf8');
    return corpId === secrets.corpId ? plain.subarray(20, 20 + length).toString('utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** The payload WeCom would send for a message: what `openPayload` opens (a fake WeCom, a passive reply). */
export function sealPayload(secrets: CallbackSecrets, message: string): string {
  const key = keyOf(secrets.encodingAesKey);
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([randomBytes(16), length, body, Buffer.from(secrets.corpId, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString(
    'base64',
  );
}

/** The fields of WeCom's flat XML (`<xml><Encrypt>…</Encrypt></xml>`), as text; undefined when it is not such XML. */
export function xmlFields(xml: string): Record<string, string> | undefined {
  try {
    const root = (parser.parse(xml) as { xml?: unknown }).xml;
    if (typeof root !== 'object' || root === null) return undefined;
    return Object.fromEntries(
      Object.entries(root).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  } catch {
    return undefined;
  }
}

/** A customer-group change from a decrypted message; undefined for any other event. */
export function chatChange(fields: Record<string, string>): ChatChange | undefined {
  const changeType = fields.ChangeType;
  if (fields.Event !== 'change_external_chat' || !fields.ChatId) return undefined;
  if (changeType !== 'create' && changeType !== 'update' && changeType !== 'dismiss') return undefined;
  const count = Number(fields.MemChangeCnt);
  const time = Number(fields.CreateTime);
  return {
    chatId: fields.ChatId,
    changeType,
    ...(fields.UpdateDetail ? { updateDetail: fields.UpdateDetail } : {}),
    ...(Number.isInteger(count) && count > 0 ? { memberChange: count } : {}),
    ...(Number.isInteger(time) && time > 0 ? { createTime: time } : {}),
  };
}
