import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { RenderGroup } from '../templates/render-context';
import { PieceTexts, RendererService } from '../templates/renderer.service';
import { RenderableRevisions } from './renderable-revisions.service';

/** The post fields that decide what it says. */
export interface PostToRender {
  id: string;
  contentId: string | null;
  revision: number | null;
  dueAt: Date;
  stage: string | null;
}

/** What a post says to its group, in both formats: the same at send time and whenever asked again. */
@Injectable()
export class PostRenderer {
  constructor(
    private readonly revisions: RenderableRevisions,
    private readonly renderer: RendererService,
  ) {}

  async texts(post: PostToRender, group: RenderGroup): Promise<PieceTexts> {
    if (post.contentId === null || post.revision === null) {
      throw new DomainError('unprocessable', `post ${post.id} has no piece to send`);
    }
    const piece = await this.revisions.renderable(post.contentId, post.revision);
    const context = { name: group.name, timezone: group.timezone, vars: group.vars };
    return this.renderer.texts(piece, context, { dueAt: post.dueAt, stage: post.stage });
  }
}
