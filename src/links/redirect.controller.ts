import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { Public } from '../auth/access.decorator';
import { DomainError } from '../common/domain-error';
import { ClickRecorder } from './click-recorder.service';
import { isPreview } from './link-previews';
import { LinkTracker } from './link-tracker.service';

/**
 * `GET /r/:code`: the short links in posts. Answers 302 to the link the code names (only ever a
 * link its post contains) and records the click; chat apps' preview fetchers are recorded as
 * previews. Public, and not throttled per address: a whole group may sit behind one.
 */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('r')
export class RedirectController {
  constructor(
    private readonly links: LinkTracker,
    private readonly clicks: ClickRecorder,
  ) {}

  @Get(':code')
  async follow(@Param('code') code: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const target = await this.links.resolve(code);
    if (!target) throw new DomainError('not_found', 'no such link');
    const userAgent = request.get('user-agent') ?? '';
    this.clicks.record({
      postId: target.postId,
      linkIndex: target.index,
      clickedAt: new Date(),
      visitor: this.links.visitor(request.ip ?? ''),
      preview: isPreview({
        method: request.method,
        userAgent,
        purpose: request.get('sec-purpose') ?? request.get('purpose'),
      }),
    });
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.redirect(302, target.url);
  }
}
