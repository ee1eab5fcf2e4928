import { createHmac, timingSafeEqual } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAC_BYTES = 8;
const CODE = /^[A-Za-z0-9_-]{34}$/;
/** Links past this many in one post go out as they are. */
export const MAX_TRACKED_LINKS = 100;

export interface LinkRef {
  postId: string;
  /** The link's place among the post's distinct links, from 0. */
  index: number;
}

/**
 * A short-link code names a post and one of its links and carries an HMAC of both, so a code
 * cannot be guessed or altered: 16 bytes of post id, 1 of link index, 8 of MAC, base64url (34
 * characters). Nothing is stored when a code is made: the link is found again from the post.
 */
export class LinkCodes {
  constructor(private readonly key: string) {}

  sign({ postId, index }: LinkRef): string {
    if (!UUID.test(postId)) throw new Error(`post id ${postId} is not a UUID`);
    if (!Number.isInteger(index) || index < 0 || index >= MAX_TRACKED_LINKS)
      throw new Error(`link index ${index} out of range`);
    const body = Buffer.concat([Buffer.from(postId.replace(/-/g, ''), 'hex'), Buffer.from([index])]);
    return Buffer.concat([body, this.mac(body)]).toString('base64url');
  }

  /** The post and link a code names, or null for a code this key did not sign. */
  verify(code: string): LinkRef | null {
    if (!CODE.test(code)) return null;
    const bytes = Buffer.from(code, 'base64url');
    // 34 characters carry 204 bits for 200: a last character that differs only in the 4 spare bits
    // decodes to the same bytes; only the one spelling sign() makes is a code.
    if (bytes.length !== 25 || bytes.toString('base64url') !== code) return null;
    const body = bytes.subarray(0, 17);
    if (!timingSafeEqual(bytes.subarray(17), this.mac(body))) return null;
    const hex = body.subarray(0, 16).toString('hex');
    const postId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    const index = body[16];
    return index < MAX_TRACKED_LINKS ? { postId, index } : null;
  }

  /**
   * Who clicked, as a keyed hash of the address: enough to count unique clicks per address, never
   * the address itself. The browser's own words (User-Agent) are the client's to choose, so they
   * do not make another clicker.
   */
  visitor(ip: string): string {
    return createHmac('sha256', this.key).update(`visitor\n${ip}`).digest('hex').slice(0, 32);
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, MAC_BYTES);
  }
}
