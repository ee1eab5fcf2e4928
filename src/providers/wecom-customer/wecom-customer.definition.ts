import { defineChannel } from '../adapter';
import { addressSchema, configSchema, pattern } from '../config-schema';

/**
 * WeCom customer groups (企业微信客户群): mass messages through a self-built app's customer-contact
 * API, sent by the group's owner confirming them in their WeCom app.
 */
export const WECOM_CUSTOMER_GROUP = defineChannel({
  type: 'wecom_customer_group',
  configSchema: configSchema('baseUrl'),
  credentialsSchema: addressSchema(
    { corpId: pattern('^[A-Za-z0-9_-]{4,64}$'), corpSecret: pattern('^[A-Za-z0-9_-]{8,128}$') },
    ['corpId', 'corpSecret'],
  ),
  addressSchema: addressSchema(
    { chatId: pattern('^[A-Za-z0-9_-]{4,128}$'), sender: pattern('^[A-Za-z0-9_.@-]{1,64}$') },
    ['chatId', 'sender'],
  ),
  secretFields: ['corpSecret'],
  defaultBaseUrl: 'https://qyapi.weixin.qq.com',
  rateLimits: [],
  dedupes: false,
  chat: { fields: ['chatId'], scope: 'channel' },
  owner: 'sender',
  ownerConfirms: true,
  combines: 200,
  pictures: { as: 'an image attachment of the mass message (up to 9)' },
});
