import { ReceiveCap, ReceiveCapRule } from '../common/receive-cap';
import { SchemaNode } from '../common/schema-node';
import { SendResult } from './outcomes';

/** A post rendered for sending. Both formats are rendered; the adapter picks what its provider takes. */
export interface OutgoingMessage {
  /** The post id: the idempotency key where the provider takes one. */
  id: string;
  title: string;
  text: string;
  markdown: string;
  stage?: string | null;
  group: { id: string; name: string };
  runId?: string | null;
  dueAt?: Date;
  /** Parts of a split message already delivered by an earlier attempt (pictures count as parts after the text). */
  skipParts?: number;
  /** Picture URLs, sent as pictures where the provider can show them. */
  images?: string[];
  /** Where a card of the post leads; providers with cards show it with the first picture. */
  link?: string | null;
}

/**
 * One message as its provider gets it, in the order they go: what a preview shows and what the
 * adapter sends are the same list.
 */
export interface WirePart {
  /** The provider's message type or method: `markdown`, `image`, `news`, `actionCard`, `sendPhoto`… */
  type: string;
  /** The text it carries: a message, a caption, a card's text. */
  text?: string;
  /** The pictures it carries, by URL, in order. */
  pictures?: string[];
  /** Where a card leads. */
  url?: string;
}

/** The parts a post becomes on a channel, or why it cannot go (too long for the provider). */
export type WireParts = WirePart[] | { refused: string };

/** A limit on sends to one address: at most `limit` in any `windowMs`. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** The channel as an adapter sees it: settings plus credentials, both already validated. */
export interface ChannelSettings {
  id: string;
  name: string;
  type: string;
  config: ChannelConfig;
  credentials: Record<string, string>;
}

/** What decides a post's parts on a channel: its config, and which credentials it has. */
export type ChannelParts = Pick<ChannelSettings, 'config' | 'credentials'>;

export interface ChannelConfig {
  baseUrl?: string;
  format?: 'text' | 'markdown';
  keywords?: string[];
  rateLimit?: { perSecond?: number; perMinute?: number };
  timeoutMs?: number;
  retryAmbiguous?: boolean;
  region?: 'feishu' | 'lark';
  mentionAll?: boolean;
  /** Links in posts go out as signed short links whose clicks are counted. */
  trackLinks?: boolean;
  /** Failed sends in a row that pause a group (default 3; 0: never). */
  breakerFailures?: number;
  /** Most messages with text one post may become (default 4): a longer one is refused at publish and fails at send. */
  maxMessages?: number;
  /** The provider's own list of the account's groups, kept in step (WeCom customer groups). */
  sync?: GroupSyncConfig;
  /** The company's rule for what each group receives, for types with a receive cap (default monthDays). */
  receiveCap?: ReceiveCapRule;
  /** When the owner of a task not yet confirmed is reminded (types whose owners confirm). */
  reminders?: ReminderConfig;
}

/** A tag a synced group gets when its name holds `nameContains` and (or) its owner is `owner`. */
export interface TagRule {
  nameContains?: string;
  owner?: string;
  tag: string;
}

export interface ReminderConfig {
  /** Minutes after the task was made, ascending, at most 3 (default 30, 120, 360). */
  afterMinutes?: number[];
  /** The owners' quiet hours (HH:mm-HH:mm in `zone`, default 22:00-08:00; `off`: none): a reminder due in them waits for their end. */
  quietHours?: string;
  /** Default Asia/Shanghai. */
  zone?: string;
}

export interface GroupSyncConfig {
  /** Minutes between scheduled syncs; 0 or none: only when asked for. */
  everyMinutes?: number;
  /** The time zone a group new to groupcast gets (default Asia/Shanghai). */
  timezone?: string;
  tagRules?: TagRule[];
}

export interface SendTarget {
  channel: ChannelSettings;
  /** The group's address, secrets included. Never logged, never queued. */
  address: Record<string, string>;
}

export interface ChannelAdapter {
  /** The messages a post becomes on this channel, in order. */
  parts(message: OutgoingMessage, channel: ChannelParts): WireParts;
  send(message: OutgoingMessage, target: SendTarget): Promise<SendResult>;
  /**
   * One message to several chats of one owner (a WeCom mass message's chat list), for types whose
   * definition has `combines`: the result is each chat's.
   */
  sendTogether?(message: OutgoingMessage, targets: SendTarget[]): Promise<SendResult>;
}

/**
 * Everything one channel type knows: how its config and addresses look, which parts are secret,
 * its provider's limits, and the adapter that talks to it.
 */
export interface ChannelDefinition<T extends string = string> {
  type: T;
  /** JSON Schema of `config` (beyond the common keys). */
  configSchema: SchemaNode;
  /** JSON Schema of `credentials`; none when the type keeps nothing account-wide. */
  credentialsSchema?: SchemaNode;
  /** JSON Schema of a group's address, in its object form. */
  addressSchema: SchemaNode;
  /** The property a plain string address stands for, e.g. `key` for WeCom. */
  addressShorthand?: string;
  /** Address and credential properties that are secrets: masked in responses, never logged. */
  secretFields: string[];
  defaultBaseUrl?: string;
  /** Base URLs by config.region (Feishu or Lark). */
  regionBaseUrls?: Record<string, string>;
  /** The provider's documented limits per address. */
  rateLimits: RateLimit[];
  /** Whether the provider drops a repeated idempotency key, so an ambiguous send may be retried. */
  dedupes: boolean;
  /** The address property holding a user-supplied URL, checked against private targets. */
  userSuppliedUrl?: string;
  /**
   * The address properties that name the chat, and how far they are unique: a robot key or a
   * webhook URL is the same chat through any channel of the type; a chat id only within its
   * channel's bot. None for types whose address names no chat (console).
   */
  chat?: { fields: string[]; scope: 'type' | 'channel' };
  /** The address property naming the staff member who owns the chat (not a secret): the inbox filters on it. */
  owner?: string;
  /**
   * A send is a task its owner confirms before anything reaches the chat, and it counts against
   * the chat's receive cap (WeCom customer groups): a test send must be asked for knowingly.
   */
  ownerConfirms?: boolean;
  /**
   * Posts due at the same moment to chats of one owner, saying the same, go as one message to at
   * most this many chats (the adapter's `sendTogether`).
   */
  combines?: number;
  /** The provider caps what each chat receives, counted in this zone's calendar (config.receiveCap picks the rule). */
  receiveCap?: { zone: string };
  /**
   * How a post's pictures arrive, for previews: `as` says what the provider gets; `markdownOnly`
   * when the text format leaves them as links; `files` when the adapter sends the file itself, and
   * which types it takes; `needs` when it takes them only with a credential the channel may lack.
   * None: the provider gets the link in the text.
   */
  pictures?: {
    as: string;
    markdownOnly?: boolean;
    files?: string[];
    needs?: { credential: string; otherwise: string };
  };
}

/** A channel type's definition, its `type` kept as a literal so the registry can list the types. */
export function defineChannel<T extends string>(definition: ChannelDefinition<T>): ChannelDefinition<T> {
  return definition;
}

/** The hosts a provider's own base URLs name: the only ones its secrets may go to by default. */
export function providerHosts(definition: ChannelDefinition): string[] {
  const bases = [definition.defaultBaseUrl, ...Object.values(definition.regionBaseUrls ?? {})].filter(
    (b): b is string => !!b,
  );
  return [...new Set(bases.map((base) => new URL(base).hostname))];
}

/** The provider base URL a channel uses: its own, its region's, or the provider's default. */
export function baseUrlOf(definition: ChannelDefinition, config: ChannelConfig): string | undefined {
  const base =
    config.baseUrl ??
    (config.region ? definition.regionBaseUrls?.[config.region] : undefined) ??
    definition.defaultBaseUrl;
  return base?.replace(/\/+$/, '');
}

/** The receive cap a channel's groups are under; null for types without one. */
export function receiveCapOf(definition: ChannelDefinition, config: ChannelConfig): ReceiveCap | null {
  return definition.receiveCap ? { rule: config.receiveCap ?? 'monthDays', zone: definition.receiveCap.zone } : null;
}
