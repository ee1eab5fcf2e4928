import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { RenderGroup } from '../templates/render-context';
import { RendererService } from '../templates/renderer.service';
import { ContentService } from './content.service';

/** The post fields that decide what it says. */
export interface PostToRender {
  id: string;
  contentId: string | null;
  revision: number | null;
  dueAt: Date;
  stage: string | null;
}

export interface PostTexts {
  title: string;
  text: string;
  markdown: string;
  /** The piece's pictures (image fields, then media): shown, not clicked; sent as pictures where the provider can. */
  images: string[];
  /** Where a card of the post leads (a product's page): providers with cards show it with the first picture. */
  link: string | null;
}

/** What a post says to its group, in both formats: the same at send time and whenever asked again. */
@Injectable()
export class PostRenderer {
  constructor(
    private readonly content: ContentService,
    private readonly renderer: RendererService,
  ) {}

  async texts(post: PostToRender, group: RenderGroup): Promise<PostTexts> {
    if (post.contentId === null || post.revision === null) {
      throw new DomainError('unprocessable', `post ${post.id} has no piece to send`);
    }
    const piece = await this.content.renderable(post.contentId, post.revision);
    const context = { name: group.name, timezone: group.timezone, vars: group.vars };
    const at = { dueAt: post.dueAt, stage: post.stage };
    return {
      title: piece.title,
      text: this.renderer.render(piece, 'text', context, at).text,
      markdown: this.renderer.render(piece, 'markdown', context, at).text,
      images: this.renderer.pictures(piece),
      link: this.renderer.cardLink(piece),
    };
  }
}
