import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { isDuplicateKey, insertRows } from '../database/mysql';
import { PostsService } from '../posts/posts.service';
import { PostStatus } from '../posts/post-status';
import { Principal } from '../auth/roles';
import { Conversion } from './conversion.entity';
import { ConversionDto, ReportConversionDto } from './dto/conversion.dto';
import { LinkTracker } from './link-tracker.service';

/** Clocks of a shop and of this service may differ this much. */
const CLOCK_SKEW_MS = 60_000;

/** A stored order as the API shows it: who reported it stays internal. */
function view({ reportedBy: _, ...conversion }: Conversion): ConversionDto {
  return { ...conversion, amount: Number(conversion.amount) };
}

/** Orders shops report, credited to the post whose link the buyer followed. */
@Injectable()
export class ConversionsService {
  constructor(
    @InjectRepository(Conversion) private readonly conversions: Repository<Conversion>,
    private readonly links: LinkTracker,
    private readonly posts: PostsService,
  ) {}

  /**
   * Records the order once for the key that reports it: the same order id from the same key again
   * answers the first record (`created: false`), or a 409 when it says something else. An order is
   * credited only to a post that was sent, and placed neither before that nor in the future.
   */
  async report(
    dto: ReportConversionDto,
    reporter: Principal,
  ): Promise<{ created: boolean; conversion: ConversionDto }> {
    const { postId, linkIndex } = await this.source(dto);
    const post = await this.posts.find(postId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'not_found') {
        throw new DomainError('unprocessable', `post ${postId} not found`, [
          { field: 'postId', message: 'no such post' },
        ]);
      }
      throw error;
    });
    const field = dto.code !== undefined ? 'code' : 'postId';
    if (post.status !== PostStatus.Sent || !post.sentAt) {
      throw new DomainError('unprocessable', `post ${postId} was not sent`, [
        {
          field,
          message: `leads to a post that was not sent (it is ${post.status}): orders are credited to sent posts`,
        },
      ]);
    }
    const orderedAt = dto.orderedAt ? new Date(dto.orderedAt) : new Date();
    this.checkOrderedAt(orderedAt, post.sentAt);
    const row: Conversion = {
      id: randomUUID(),
      reportedBy: reporter.keyId,
      orderId: dto.orderId,
      postId,
      linkIndex,
      runId: post.runId,
      routineId: post.routineId,
      stage: post.stage,
      step: post.step,
      groupId: post.groupId,
      contentId: post.contentId,
      amount: dto.amount,
      currency: dto.currency ?? null,
      orderedAt,
      createdAt: new Date(),
    };
    try {
      await insertRows(this.conversions.manager, Conversion, row);
      return { created: true, conversion: view(row) };
    } catch (error) {
      if (!isDuplicateKey(error, 'UQ_conversions_key_order')) throw error;
    }
    const first = await this.conversions.findOneByOrFail({ reportedBy: reporter.keyId, orderId: dto.orderId });
    const differs = [
      first.postId !== postId ? `post ${first.postId}` : null,
      Number(first.amount) !== dto.amount ? `amount ${Number(first.amount)}` : null,
      first.currency !== (dto.currency ?? null) ? `currency ${first.currency ?? 'none'}` : null,
    ].filter((d): d is string => d !== null);
    if (differs.length > 0) {
      throw DomainError.conflict(`order ${dto.orderId} was reported already`, [
        {
          field: 'orderId',
          message: `was reported already with ${differs.join(', ')}; an order is counted once`,
        },
      ]);
    }
    return { created: false, conversion: view(first) };
  }

  /** Not in the future (a minute of clock skew aside), and not before the post it is credited to went out. */
  private checkOrderedAt(orderedAt: Date, sentAt: Date): void {
    const now = Date.now();
    if (orderedAt.getTime() > now + CLOCK_SKEW_MS) {
      throw DomainError.invalid([{ field: 'orderedAt', message: 'is in the future' }]);
    }
    if (orderedAt.getTime() < sentAt.getTime() - CLOCK_SKEW_MS) {
      throw DomainError.invalid([
        {
          field: 'orderedAt',
          message: `is before the post was sent (${sentAt.toISOString()}): the order cannot have come from it`,
        },
      ]);
    }
  }

  private async source(dto: ReportConversionDto): Promise<{ postId: string; linkIndex: number | null }> {
    if (dto.code !== undefined && dto.postId !== undefined) {
      throw DomainError.invalid([{ field: 'postId', message: 'give code or postId, not both' }]);
    }
    if (dto.postId !== undefined) return { postId: dto.postId, linkIndex: null };
    if (dto.code === undefined) {
      throw DomainError.invalid([
        { field: 'code', message: 'give the short-link code the buyer came through, or postId' },
      ]);
    }
    const target = await this.links.resolve(dto.code);
    if (!target) {
      throw new DomainError('unprocessable', 'unknown short link', [
        { field: 'code', message: 'is not a short link of this service, or its post is gone' },
      ]);
    }
    return { postId: target.postId, linkIndex: target.index };
  }
}
