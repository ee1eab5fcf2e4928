import { toLarkMarkdown, toSlackMrkdwn, toTelegramHtml } from './convert';

const BRIEF = [
  '## ☀️ 早报 · 11月23日 星期一',
  '',
  '早上好 <大家> & 朋友们',
  '',
  '**📰 今日要闻**',
  '1. [寒潮来了](https://news.example.com/a?x=1&y=2)',
  '2. **双十二** 预售 ~~199~~',
  '',
  '> 💡 **划重点**：多喝水',
  '',
  '![晚安](https://cdn.example.com/p.jpg)',
  '',
  '\\*不是斜体\\* <font color="warning">20:00</font> 开抢',
].join('\n');

describe('markdown dialects', () => {
  it('writes Telegram HTML with every user character escaped', () => {
    expect(toTelegramHtml(BRIEF)).toBe(
      [
        '<b>☀️ 早报 · 11月23日 星期一</b>',
        '',
        '早上好 &lt;大家&gt; &amp; 朋友们',
        '',
        '<b>📰 今日要闻</b>',
        '',
        '1. <a href="https://news.example.com/a?x=1&amp;y=2">寒潮来了</a>',
        '2. <b>双十二</b> 预售 <s>199</s>',
        '',
        '<blockquote>💡 <b>划重点</b>：多喝水</blockquote>',
        '',
        '<a href="https://cdn.example.com/p.jpg">晚安</a>',
        '',
        '*不是斜体* 20:00 开抢',
      ].join('\n'),
    );
  });

  it('writes Slack mrkdwn', () => {
    const out = toSlackMrkdwn(BRIEF);
    expect(out).toContain('*☀️ 早报 · 11月23日 星期一*');
    expect(out).toContain('早上好 &lt;大家&gt; &amp; 朋友们');
    expect(out).toContain('1. <https://news.example.com/a?x=1&y=2|寒潮来了>');
    expect(out).toContain('2. *双十二* 预售 ~199~');
    expect(out).toContain('> 💡 *划重点*：多喝水');
  });

  it('writes Feishu lark_md without headings or images, keeping escapes', () => {
    const out = toLarkMarkdown(BRIEF);
    expect(out).toContain('**☀️ 早报 · 11月23日 星期一**');
    expect(out).toContain('[晚安](https://cdn.example.com/p.jpg)');
    expect(out).toContain('\\*不是斜体\\* 20:00 开抢');
  });
});
