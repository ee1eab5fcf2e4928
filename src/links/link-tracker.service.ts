import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { PostRenderer, PostToRender } from '../content/post-renderer.service';
import { PieceTexts } from '../templates/renderer.service';
import { GroupDirectory } from '../groups/group-directory.service';
import { PostsService } from '../posts/posts.service';
import { RenderGroup } from '../templates/render-context';
import { LinkCodes, LinkRef } from './link-codes';
import { linkTargets, rewriteLinks } from './links-in-text';

export interface TrackedTexts extends PieceTexts {
  /** The links that were rewritten, by index; empty when the post's links go out as they are. */
  links: string[];
}

/** Posts whose links a redirect has looked up lately. */
const RESOLVED_POSTS = 20_000;

/**
 * Short links: at send time each link of a post becomes `PUBLIC_BASE_URL/r/<code>`, one signed
 * code per post and link; a click finds the link again from the post, so sending writes nothing
 * and a code can only ever lead to a link its post contains.
 */
@Injectable()
export class LinkTracker {
  private readonly codes?: LinkCodes;
  private readonly base?: string;
  private readonly resolved = new LRUCache<string, string[]>({ max: RESOLVED_POSTS });

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly renderer: PostRenderer,
    private readonly groups: GroupDirectory,
    private readonly posts: PostsService,
  ) {
    if (config.publicBaseUrl && config.linkSigningKey) {
      this.codes = new LinkCodes(config.linkSigningKey);
      this.base = config.publicBaseUrl;
    }
  }

  get enabled(): boolean {
    return this.codes !== undefined;
  }

  /** What a post says to its group; with `track`, its links are short links. */
  async texts(post: PostToRender, group: RenderGroup, track: boolean): Promise<TrackedTexts> {
    const texts = await this.renderer.texts(post, group);
    const codes = this.codes;
    if (!track || !codes) return { ...texts, links: [] };
    const links = targetsOf(texts);
    const short = (index: number) => `${this.base}/r/${codes.sign({ postId: post.id, index })}`;
    return {
      ...texts,
      text: rewriteLinks(texts.text, links, short),
      markdown: rewriteLinks(texts.markdown, links, short),
      link: texts.link === null ? null : short(links.indexOf(texts.link)),
      links,
    };
  }

  /** The post, link and address a code leads to; null for a forged code or a post that is gone. */
  async resolve(code: string): Promise<(LinkRef & { url: string }) | null> {
    const ref = this.codes?.verify(code);
    if (!ref) return null;
    let links = this.resolved.get(ref.postId);
    if (!links) {
      try {
        const post = await this.posts.find(ref.postId);
        const { group } = await this.groups.deliveryTarget(post.groupId);
        links = targetsOf(await this.renderer.texts(post, group));
      } catch (error) {
        if (error instanceof DomainError && (error.code === 'not_found' || error.code === 'unprocessable')) return null;
        throw error;
      }
      this.resolved.set(ref.postId, links);
    }
    const url = links[ref.index];
    return url === undefined ? null : { ...ref, url };
  }

  visitor(ip: string): string {
    if (!this.codes) throw new Error('link tracking is not configured');
    return this.codes.visitor(ip);
  }
}

/** Links in both renderings, the piece's pictures left out, then its card's link if the texts do not name it. */
function targetsOf(texts: PieceTexts): string[] {
  const pictures = new Set(texts.images);
  const links = linkTargets([texts.markdown, texts.text]).filter((url) => !pictures.has(url));
  return texts.link === null || links.includes(texts.link) ? links : [...links, texts.link];
}
