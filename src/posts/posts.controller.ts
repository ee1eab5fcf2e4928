import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidParam } from '../common/id-param';
import { ListPostsQuery, OwnerInboxDto, PostDto, PostPageDto, PostWithAttemptsDto } from './dto/post.dto';
import { PostsService } from './posts.service';

@ApiTags('posts')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Allow('planner')
@Controller('v1/posts')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Get()
  @Allow('planner', 'viewer')
  @ApiErrors(400)
  list(@Query() query: ListPostsQuery): Promise<PostPageDto> {
    return this.posts.list(query);
  }

  /**
   * The inbox of WeCom customer-group owners: who still has mass messages to confirm, how many,
   * and since when (`GET /v1/posts?status=awaiting_confirmation&owner=…` lists them).
   */
  @Get('owners')
  @Allow('planner', 'viewer')
  owners(): Promise<OwnerInboxDto[]> {
    return this.posts.owners();
  }

  /** A post with every attempt made to send it. */
  @Get(':id')
  @Allow('planner', 'viewer')
  @ApiErrors(400, 404)
  get(@UuidParam() id: string): Promise<PostWithAttemptsDto> {
    return this.posts.get(id);
  }

  /** A failed or unconfirmed post is queued again; a completed run runs again for it. */
  @Post(':id/retry')
  @HttpCode(200)
  @ApiErrors(400, 404, 409)
  retry(@UuidParam() id: string): Promise<PostDto> {
    return this.posts.retry(id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiErrors(400, 404, 409)
  cancel(@UuidParam() id: string): Promise<PostDto> {
    return this.posts.cancel(id);
  }

  /** The operator saw an unconfirmed post in the chat. */
  @Post(':id/mark-sent')
  @HttpCode(200)
  @ApiErrors(400, 404, 409)
  markSent(@UuidParam() id: string): Promise<PostDto> {
    return this.posts.markSent(id);
  }
}
