import { randomBytes } from 'node:crypto';
import { SecretBox, sealedJson, sealedWith, useSecretBox } from './sealed-json';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

describe('secrets at rest', () => {
  afterEach(() => useSecretBox(undefined));

  it('seals with the first key and opens with any key it holds', () => {
    const old = new SecretBox([k1]);
    const sealed = old.seal('{"key":"robot-key-1234"}');
    expect(sealed).not.toContain('robot');
    expect(sealedWith(sealed)).toBe('k1');
    const rotated = new SecretBox([k2, k1]);
    expect(rotated.open(sealed)).toBe('{"key":"robot-key-1234"}');
    expect(sealedWith(rotated.seal('x'))).toBe('k2');
    expect(() => new SecretBox([k2]).open(sealed)).toThrow(/key k1/);
  });

  it('refuses a sealed value that was altered', () => {
    const box = new SecretBox([k1]);
    const sealed = box.seal('secret');
    const altered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.open(altered)).toThrow();
  });

  it('stores a column sealed when keys are set, reads values stored in clear as they are', () => {
    expect(sealedJson.to({ key: 'abc' })).toEqual({ key: 'abc' });
    useSecretBox(new SecretBox([k1]));
    const stored = sealedJson.to({ key: 'abc' }) as string;
    expect(sealedWith(stored)).toBe('k1');
    expect(sealedJson.from(stored)).toEqual({ key: 'abc' });
    expect(sealedJson.from({ key: 'in clear' })).toEqual({ key: 'in clear' });
    useSecretBox(undefined);
    expect(() => sealedJson.from(stored)).toThrow(/SECRETS_KEYS/);
  });
});
