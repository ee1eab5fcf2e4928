import { defineChannel } from '../adapter';
import { addressSchema, configSchema, pattern } from '../config-schema';

/** Feishu / Lark custom bot; with a self-built app's credentials, pictures are uploaded and shown in the card. */
export const FEISHU = defineChannel({
  type: 'feishu',
  configSchema: configSchema('baseUrl', 'region', 'format', 'keywords'),
  credentialsSchema: {
    ...addressSchema({ appId: pattern('^cli_[A-Za-z0-9]{8,64}$'), appSecret: pattern('^[A-Za-z0-9]{16,128}$') }, []),
    dependencies: { appId: ['appSecret'], appSecret: ['appId'] },
  },
  addressSchema: addressSchema({ token: pattern('^[A-Za-z0-9-]{8,128}$'), secret: pattern('^[A-Za-z0-9]{8,128}$') }, [
    'token',
  ]),
  addressShorthand: 'token',
  secretFields: ['token', 'secret', 'appSecret'],
  defaultBaseUrl: 'https://open.feishu.cn',
  regionBaseUrls: { feishu: 'https://open.feishu.cn', lark: 'https://open.larksuite.com' },
  rateLimits: [
    { limit: 100, windowMs: 60_000 },
    { limit: 5, windowMs: 1000 },
  ],
  dedupes: false,
  chat: { fields: ['token'], scope: 'type' },
  pictures: {
    as: 'an image in the card, uploaded with the app credentials',
    files: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'],
    needs: { credential: 'appId', otherwise: 'the channel has no app credentials (credentials.appId and appSecret)' },
  },
});
