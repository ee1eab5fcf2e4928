import { linkTargets, rewriteLinks } from './links-in-text';

describe('links in rendered text', () => {
  const markdown = [
    '**今日好物**',
    '[去看看](https://shop.example.com/item/42?from=group) ',
    '![海报](https://cdn.example.com/p.png)',
    '详情见 https://shop.example.com/faq。还有 <https://x.example.org/a>.',
  ].join('\n');
  const text = '今日好物\n去看看: https://shop.example.com/item/42?from=group\n更多：https://m.example.com/more, 谢谢';

  it('lists distinct links in order across renderings, pictures left out', () => {
    expect(linkTargets([markdown, text])).toEqual([
      'https://shop.example.com/item/42?from=group',
      'https://shop.example.com/faq',
      'https://x.example.org/a',
      'https://m.example.com/more',
    ]);
  });

  it('rewrites every occurrence of a listed link and leaves the rest of the text as it was', () => {
    const targets = linkTargets([markdown, text]);
    const out = rewriteLinks(markdown, targets, (i) => `https://go.example.com/r/${i}`);
    expect(out).toBe(
      [
        '**今日好物**',
        '[去看看](https://go.example.com/r/0) ',
        '![海报](https://cdn.example.com/p.png)',
        '详情见 https://go.example.com/r/1。还有 <https://go.example.com/r/2>.',
      ].join('\n'),
    );
    expect(rewriteLinks(text, targets, (i) => `<${i}>`)).toBe('今日好物\n去看看: <0>\n更多：<3>, 谢谢');
  });

  it('leaves text without links alone', () => {
    expect(rewriteLinks('晚安 🌙', [], () => 'x')).toBe('晚安 🌙');
    expect(linkTargets(['晚安 🌙'])).toEqual([]);
  });
});
