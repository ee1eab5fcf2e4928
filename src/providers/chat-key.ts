import { createHash } from 'node:crypto';
import { ChannelDefinition } from './adapter';

function canonical(value: string): string {
  try {
    return /^https?:\/\//i.test(value) ? new URL(value).href : value;
  } catch {
    return value;
  }
}

/**
 * What makes two groups one chat, as a hash (addresses carry secrets; the key must not): the
 * fields that name the chat, scoped to the channel type or to the channel. Null when the type's
 * addresses name no chat, or this one leaves them empty.
 */
export function chatKey(
  definition: ChannelDefinition,
  channelId: string,
  address: Record<string, string>,
): string | null {
  if (!definition.chat) return null;
  const values = definition.chat.fields.map((field) => canonical(address[field] ?? ''));
  if (values.every((v) => v === '')) return null;
  const scope = definition.chat.scope === 'type' ? definition.type : `${definition.type}:${channelId}`;
  return createHash('sha256')
    .update(JSON.stringify([scope, ...values]))
    .digest('hex');
}

/** The staff member who owns the group (a WeCom customer group's `sender`), for the inbox; null for types without one. */
export function ownerOf(definition: ChannelDefinition, address: Record<string, string>): string | null {
  return definition.owner ? (address[definition.owner] ?? null) : null;
}
