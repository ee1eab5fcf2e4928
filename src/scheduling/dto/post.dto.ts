import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsInstant } from '../../common/instant.decorator';
import { PageQuery } from '../../common/page.dto';
import { STAGES, Stage } from '../../campaigns/stages';
import { POST_STATUSES, PostStatus } from '../post.entity';

export class ListPostsQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  runId?: string;

  @IsOptional()
  @IsUUID()
  groupId?: string;

  @IsOptional()
  @IsIn(POST_STATUSES)
  status?: PostStatus;

  @IsOptional()
  @IsIn(STAGES)
  stage?: Stage;

  /** Due at or after (ISO 8601). */
  @IsOptional()
  @IsInstant()
  dueFrom?: string;

  /** Due before (ISO 8601). */
  @IsOptional()
  @IsInstant()
  dueTo?: string;
}

export class AttemptDto {
  attemptedAt: Date;
  latencyMs: number;
  outcome: string;
  code: string | null;
  error: string | null;
}

export class PostDto {
  id: string;
  runId: string;
  step: number;
  stage: Stage;
  groupId: string;
  channelType: string;
  contentId: string;
  revision: number;
  dueAt: Date;
  status: PostStatus;
  notBefore: Date | null;
  deferReason: string | null;
  attempts: number;
  partsSent: number;
  sentAt: Date | null;
  externalId: string | null;
  errorCode: string | null;
  error: string | null;
}

export class PostWithAttemptsDto extends PostDto {
  attemptLog: AttemptDto[];
}

export class PostPageDto {
  items: PostDto[];
  page: number;
  pageSize: number;
  total: number;
}
