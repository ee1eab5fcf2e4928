import { defineChannel } from '../adapter';
import { addressSchema, configSchema } from '../config-schema';

/** Posts go to their own queue for a consumer outside groupcast; there is no adapter in-process. */
export const EXTERNAL = defineChannel({
  type: 'external',
  configSchema: configSchema(),
  addressSchema: addressSchema({ target: { type: 'string', maxLength: 500 } }, []),
  addressShorthand: 'target',
  secretFields: [],
  rateLimits: [],
  dedupes: false,
  chat: { fields: ['target'], scope: 'channel' },
  pictures: { as: 'a URL in message.images, for the consumer to send' },
});
