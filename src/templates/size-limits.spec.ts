import { measure, sizeIn } from '../common/text-size';
import { sizeWarnings } from './size-limits';

describe('measure', () => {
  it('counts a Chinese character as one character and three UTF-8 bytes', () => {
    expect(measure('早安')).toEqual({ characters: 2, bytes: 6 });
    expect(measure('a☕')).toEqual({ characters: 2, bytes: 4 });
    expect(measure('😀')).toEqual({ characters: 1, bytes: 4 });
  });

  it('warns when a text passes WeCom’s 2048-byte text limit although it has only 683 characters', () => {
    const text = '早'.repeat(683);
    const warnings = sizeWarnings('text', text);
    expect(warnings).toEqual([
      expect.objectContaining({ channel: 'wecom', unit: 'bytes', limit: 2048, size: 2049 }),
    ]);
  });

  it('does not warn at exactly the limit', () => {
    expect(sizeWarnings('markdown', 'a'.repeat(3000))).toEqual([]);
  });
});

describe('sizeIn', () => {
  it('counts an emoji outside the BMP as two characters, as Slack and Telegram do', () => {
    expect(sizeIn('characters', '😀早')).toBe(3);
    expect(sizeWarnings('markdown', '😀'.repeat(1501))).toContainEqual(expect.objectContaining({ channel: 'slack', size: 3002 }));
  });
});
