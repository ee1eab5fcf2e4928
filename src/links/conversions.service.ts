import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { isDuplicateKey, insertRows } from '../database/mysql';
import { PostsService } from '../posts/posts.service';
import { Conversion } from './conversion.entity';
import { ConversionDto, ReportConversionDto } from './dto/conversion.dto';
import { LinkTracker } from './link-tracker.service';

/** Orders shops report, credited to the post whose link the buyer followed. */
@Injectable()
export class ConversionsService {
  constructor(
    @InjectRepository(Conversion) private readonly conversions: Repository<Conversion>,
    private readonly links: LinkTracker,
    private readonly posts: PostsService,
  ) {}

  /** Records the order once: the same order id again answers the first record (`created: false`). */
  async report(dto: ReportConversionDto): Promise<{ created: boolean; conversion: ConversionDto }> {
    const { postId, linkIndex } = await this.source(dto);
    const post = await this.posts.find(postId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'not_found') {
        throw new DomainError('unprocessable', `post ${postId} not found`, [
          { field: 'postId', message: 'no such post' },
        ]);
      }
      throw error;
    });
    const row: Conversion = {
      id: randomUUID(),
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
      orderedAt: dto.orderedAt ? new Date(dto.orderedAt) : new Date(),
      createdAt: new Date(),
    };
    try {
      await insertRows(this.conversions.manager, Conversion, row);
      return { created: true, conversion: row };
    } catch (error) {
      if (!isDuplicateKey(error, 'UQ_conversions_order')) throw error;
    }
    const first = await this.conversions.findOneByOrFail({ orderId: dto.orderId });
    if (first.postId !== postId || Number(first.amount) !== dto.amount) {
      throw DomainError.conflict(`order ${dto.orderId} was reported already`, [
        {
          field: 'orderId',
          message: `was reported already for post ${first.postId} with amount ${Number(first.amount)}; an order is counted once`,
        },
      ]);
    }
    return { created: false, conversion: { ...first, amount: Number(first.amount) } };
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
