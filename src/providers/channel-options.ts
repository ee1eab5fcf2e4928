/** What the channels need from the service's configuration; the config module provides it. */
export const CHANNEL_OPTIONS = Symbol('CHANNEL_OPTIONS');

export interface ChannelOptions {
  /** Lets webhook URLs and custom base URLs name private and loopback addresses (tests, intranets). */
  allowPrivateTargets: boolean;
  /** Lets WeCom, DingTalk, Feishu and Telegram channels name a base URL other than the provider's own. */
  allowCustomBaseUrls: boolean;
  /** Where the console channel prints posts: `stderr`, `stdout` or a file path. */
  consoleOutput: string;
  /** Short links are made under it; without it no channel can track links. */
  publicBaseUrl?: string;
  /** Where fetched pictures are kept. */
  mediaCacheDir: string;
  /** Whether saving a piece fetches its pictures to check their size and type. */
  mediaCheck: boolean;
  /** Whether that check fetches pictures on the reserved example domains (RFC 2606) too. */
  mediaCheckExampleHosts: boolean;
}
