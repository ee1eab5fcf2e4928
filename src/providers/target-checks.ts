import { Inject, Injectable } from '@nestjs/common';
import { ChannelDefinition, providerHosts } from './adapter';
import { CHANNEL_OPTIONS, ChannelOptions } from './channel-options';
import { isProviderUrl } from './http/http-client';
import { publicUrlProblem } from './http/ssrf-guard';

/** Where secrets may go, checked when an operator saves a URL (the HTTP client checks again at send). */
@Injectable()
export class TargetChecks {
  constructor(@Inject(CHANNEL_OPTIONS) private readonly options: ChannelOptions) {}

  /** A base URL is the provider's own host unless custom ones are allowed, and then a public one. */
  async baseUrlProblem(definition: ChannelDefinition, url: URL): Promise<string | undefined> {
    const hosts = providerHosts(definition);
    if (isProviderUrl(url, hosts)) return undefined;
    if (!this.options.allowCustomBaseUrls) {
      return `must be ${hosts.map((h) => `https://${h}`).join(' or ')}, the provider's own; another host needs ALLOW_CUSTOM_BASE_URLS=true`;
    }
    return this.userUrlProblem(url);
  }

  /** Link tracking needs a public base URL to make short links under. */
  trackLinksProblem(): string | undefined {
    return this.options.publicBaseUrl
      ? undefined
      : 'needs PUBLIC_BASE_URL and LINK_SIGNING_KEY in the service configuration: short links are made under the one and signed with the other';
  }

  /** A URL the operator supplies (a webhook) must name a public address unless private ones are allowed. */
  async userUrlProblem(url: URL): Promise<string | undefined> {
    return this.options.allowPrivateTargets ? undefined : publicUrlProblem(url);
  }
}
