import { Lexer, Token, Tokens } from 'marked';

/** How one chat dialect writes each piece of the markdown our templates produce. */
interface Dialect {
  text(text: string): string;
  strong(inner: string): string;
  em(inner: string): string;
  del(inner: string): string;
  code(text: string): string;
  link(href: string, inner: string): string;
  heading(inner: string): string;
  quote(inner: string): string;
  codeBlock(text: string): string;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const escapeSlack = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function inline(tokens: Token[] | undefined, d: Dialect): string {
  return (tokens ?? [])
    .map((token) => {
      switch (token.type) {
        case 'text': {
          const t = token as Tokens.Text;
          return t.tokens ? inline(t.tokens, d) : d.text(t.text);
        }
        case 'escape':
          return d.text((token as Tokens.Escape).text);
        case 'strong':
          return d.strong(inline((token as Tokens.Strong).tokens, d));
        case 'em':
          return d.em(inline((token as Tokens.Em).tokens, d));
        case 'del':
          return d.del(inline((token as Tokens.Del).tokens, d));
        case 'codespan':
          return d.code((token as Tokens.Codespan).text);
        case 'link': {
          const link = token as Tokens.Link;
          return d.link(link.href, inline(link.tokens, d));
        }
        case 'image': {
          const image = token as Tokens.Image;
          return d.link(image.href, d.text(image.text || '图片'));
        }
        case 'br':
          return '\n';
        case 'html':
          return '';
        default:
          return d.text(token.raw);
      }
    })
    .join('');
}

function blocks(tokens: Token[], d: Dialect): string {
  return tokens
    .map((token) => {
      switch (token.type) {
        case 'space':
          return '';
        case 'heading':
          return d.heading(inline((token as Tokens.Heading).tokens, d));
        case 'paragraph':
          return inline((token as Tokens.Paragraph).tokens, d);
        case 'blockquote':
          return d.quote(blocks((token as Tokens.Blockquote).tokens, d));
        case 'list': {
          const list = token as Tokens.List;
          const start = typeof list.start === 'number' ? list.start : 1;
          return list.items
            .map((item, i) => `${list.ordered ? `${start + i}.` : '•'} ${blocks(item.tokens, d).trim()}`)
            .join('\n');
        }
        case 'code':
          return d.codeBlock((token as Tokens.Code).text);
        case 'hr':
          return '———';
        case 'html':
          return d.text((token as Tokens.HTML).text.replace(/<[^>]*>/g, '')).trim();
        case 'text': {
          const t = token as Tokens.Text;
          return t.tokens ? inline(t.tokens, d) : d.text(t.text);
        }
        default:
          return d.text(token.raw);
      }
    })
    .filter((block) => block !== '')
    .join('\n\n');
}

const TELEGRAM_HTML: Dialect = {
  text: escapeHtml,
  strong: (s) => `<b>${s}</b>`,
  em: (s) => `<i>${s}</i>`,
  del: (s) => `<s>${s}</s>`,
  code: (s) => `<code>${escapeHtml(s)}</code>`,
  link: (href, s) => `<a href="${escapeHtml(href)}">${s}</a>`,
  heading: (s) => `<b>${s}</b>`,
  quote: (s) => `<blockquote>${s}</blockquote>`,
  codeBlock: (s) => `<pre>${escapeHtml(s)}</pre>`,
};

const SLACK_MRKDWN: Dialect = {
  text: escapeSlack,
  strong: (s) => `*${s}*`,
  em: (s) => `_${s}_`,
  del: (s) => `~${s}~`,
  code: (s) => `\`${escapeSlack(s)}\``,
  link: (href, s) => `<${href}|${s}>`,
  heading: (s) => `*${s}*`,
  quote: (s) =>
    s
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n'),
  codeBlock: (s) => `\`\`\`${escapeSlack(s)}\`\`\``,
};

const LARK_MD_SPECIALS = /[\\`*_[\]~]/g;
const LARK_MD: Dialect = {
  text: (s) => s.replace(LARK_MD_SPECIALS, '\\$&'),
  strong: (s) => `**${s}**`,
  em: (s) => `*${s}*`,
  del: (s) => `~~${s}~~`,
  code: (s) => `\`${s}\``,
  link: (href, s) => `[${s}](${href})`,
  heading: (s) => `**${s}**`,
  quote: (s) =>
    s
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n'),
  codeBlock: (s) => `\`\`\`\n${s}\n\`\`\``,
};

const convert = (dialect: Dialect) => (markdown: string) => blocks(Lexer.lex(markdown), dialect);

/** Telegram's HTML parse mode (safer than MarkdownV2, which needs escaping of 18 characters). */
export const toTelegramHtml = convert(TELEGRAM_HTML);
/** Slack's mrkdwn. */
export const toSlackMrkdwn = convert(SLACK_MRKDWN);
/** Feishu/Lark card `lark_md`: no headings or images, so those become bold text and links. */
export const toLarkMarkdown = convert(LARK_MD);
