import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidParam } from '../common/id-param';
import { PostDto } from '../posts/dto/post.dto';
import { RunsService } from './runs.service';

/** Actions on a post that reach its run. */
@ApiTags('posts')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Allow('planner')
@Controller('v1/posts')
export class RunPostsController {
  constructor(private readonly runs: RunsService) {}

  /** A failed or unconfirmed post is queued again; a completed run runs again for it. */
  @Post(':id/retry')
  @HttpCode(200)
  @ApiErrors(400, 404, 409)
  retry(@UuidParam() id: string): Promise<PostDto> {
    return this.runs.retryPost(id);
  }
}
