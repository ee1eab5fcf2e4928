import { defineChannel } from '../adapter';
import { addressSchema, configSchema, pattern } from '../config-schema';
import { RECEIVE_CAP_RULES } from '../../common/receive-cap';
import { SchemaNode } from '../../common/schema-node';

const tag: SchemaNode = {
  type: 'string',
  minLength: 1,
  maxLength: 50,
  pattern: '^[^\\p{Cc}]*[^\\p{Cc}\\s][^\\p{Cc}]*$',
};

/** How the company's customer groups are kept in step with WeCom (see GroupSyncConfig). */
const SYNC: SchemaNode = {
  type: 'object',
  additionalProperties: false,
  properties: {
    everyMinutes: { type: 'integer', minimum: 0, maximum: 10_080 },
    timezone: { type: 'string', format: 'timezone', maxLength: 64 },
    tagRules: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['tag'],
        minProperties: 2,
        properties: {
          nameContains: { type: 'string', minLength: 1, maxLength: 100 },
          owner: { type: 'string', minLength: 1, maxLength: 64 },
          tag,
        },
      },
    },
  },
};

/** When an owner is reminded of a task (see ReminderConfig); WeCom takes at most 3 reminders a task in 24 hours. */
const REMINDERS: SchemaNode = {
  type: 'object',
  additionalProperties: false,
  properties: {
    afterMinutes: {
      type: 'array',
      maxItems: 3,
      items: { type: 'integer', minimum: 1, maximum: 1440 },
    },
    quietHours: { type: 'string', pattern: '^(off|([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9])$' },
    zone: { type: 'string', format: 'timezone', maxLength: 64 },
  },
};

const base = configSchema('baseUrl');

/**
 * WeCom customer groups (企业微信客户群): mass messages through a self-built app's customer-contact
 * API, sent by the group's owner confirming them in their WeCom app. The company's groups are
 * listed from WeCom (sync) and their changes arrive as signed, encrypted callbacks.
 */
export const WECOM_CUSTOMER_GROUP = defineChannel({
  type: 'wecom_customer_group',
  configSchema: {
    ...base,
    properties: { ...base.properties, sync: SYNC, receiveCap: { enum: [...RECEIVE_CAP_RULES] }, reminders: REMINDERS },
  },
  credentialsSchema: addressSchema(
    {
      corpId: pattern('^[A-Za-z0-9_-]{4,64}$'),
      corpSecret: pattern('^[A-Za-z0-9_-]{8,128}$'),
      // The callback URL's Token and EncodingAESKey, as set in WeCom's admin console.
      callbackToken: pattern('^[A-Za-z0-9]{1,32}$'),
      encodingAesKey: pattern('^[A-Za-z0-9]{43}$'),
    },
    ['corpId', 'corpSecret'],
  ),
  addressSchema: addressSchema(
    { chatId: pattern('^[A-Za-z0-9_-]{4,128}$'), sender: pattern('^[A-Za-z0-9_.@-]{1,64}$') },
    ['chatId', 'sender'],
  ),
  secretFields: ['corpSecret', 'callbackToken', 'encodingAesKey'],
  defaultBaseUrl: 'https://qyapi.weixin.qq.com',
  rateLimits: [],
  dedupes: false,
  chat: { fields: ['chatId'], scope: 'channel' },
  owner: 'sender',
  ownerConfirms: true,
  // WeCom's own limit: one task names at most 2,000 groups of one owner.
  combines: 2000,
  // WeCom counts a customer group's mass messages by Beijing time.
  receiveCap: { zone: 'Asia/Shanghai' },
  pictures: { as: 'an image attachment of the mass message (up to 9)' },
});
