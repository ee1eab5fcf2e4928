import { randomUUID } from 'node:crypto';
import { LinkCodes } from './link-codes';

const codes = new LinkCodes('k'.repeat(32));

describe('LinkCodes', () => {
  it('names the post and link it was made for', () => {
    const postId = randomUUID();
    const code = codes.sign({ postId, index: 3 });
    expect(code).toMatch(/^[A-Za-z0-9_-]{34}$/);
    expect(codes.verify(code)).toEqual({ postId, index: 3 });
  });

  it('refuses a code with any character changed, and one signed with another key', () => {
    const code = codes.sign({ postId: randomUUID(), index: 0 });
    for (let i = 0; i < code.length; i++) {
      const altered = code.slice(0, i) + (code[i] === 'A' ? 'B' : 'A') + code.slice(i + 1);
      expect(codes.verify(altered)).toBeNull();
    }
    // Every other last character, including those that differ only in the bits the encoding leaves spare.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const last of alphabet.replace(code.at(-1)!, '')) {
      expect(codes.verify(code.slice(0, -1) + last)).toBeNull();
    }
    const other = new LinkCodes('o'.repeat(32)).sign({ postId: randomUUID(), index: 0 });
    expect(codes.verify(other)).toBeNull();
    expect(codes.verify('short')).toBeNull();
  });

  it('hashes a visitor by address the same way each time and never keeps the address', () => {
    const a = codes.visitor('203.0.113.7');
    expect(a).toBe(codes.visitor('203.0.113.7'));
    expect(a).not.toBe(codes.visitor('203.0.113.8'));
    expect(a).not.toContain('203');
  });
});
