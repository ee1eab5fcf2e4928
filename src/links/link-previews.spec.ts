import { isPreview } from './link-previews';

const get = (userAgent: string) => ({ method: 'GET', userAgent, purpose: undefined });

describe('isPreview', () => {
  it.each([
    'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    'Slack-ImgProxy (+https://api.slack.com/robots)',
    'TelegramBot (like TwitterBot)',
    'facebookexternalhit/1.1',
    'Mozilla/5.0 (compatible; DingTalkBot-LinkService/1.0)',
    'Mozilla/5.0 (compatible; LarkBot/1.0)',
    'Feishu-Bot/1.0',
    'WhatsApp/2.23.20.0',
    '',
  ])('counts %p as a preview', (ua) => expect(isPreview(get(ua))).toBe(true));

  it.each([
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.40 NetType/WIFI',
    'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/116.0 Mobile Safari/537.36 wxwork/4.1.10 MicroMessenger/7.0.1',
    'Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 DingTalk(7.0.40) Channel/201200',
    'Mozilla/5.0 (Macintosh) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Lark/7.1.8 LarkLocale/zh_CN',
  ])('counts %p as a click', (ua) => expect(isPreview(get(ua))).toBe(false));

  it('counts HEAD requests and prefetches as previews', () => {
    expect(isPreview({ method: 'HEAD', userAgent: 'Mozilla/5.0', purpose: undefined })).toBe(true);
    expect(isPreview({ method: 'GET', userAgent: 'Mozilla/5.0', purpose: 'prefetch' })).toBe(true);
  });
});
