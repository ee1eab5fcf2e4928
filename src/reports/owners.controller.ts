import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { DomainError } from '../common/domain-error';
import { Confirmations } from '../delivery/confirmations.service';
import { OwnerDetailDto, OwnerListDto, OwnersQuery, RemindOwnerDto } from './dto/owner.dto';
import { OwnersReport } from './owners.service';

const OWNER = /^[A-Za-z0-9_.@-]{1,64}$/;

function checked(owner: string): string {
  if (!OWNER.test(owner))
    throw DomainError.invalid([{ field: 'owner', message: 'must be a WeCom userid: 1 to 64 of A-Z a-z 0-9 _ . @ -' }]);
  return owner;
}

/**
 * The staff who own WeCom customer groups and confirm their mass messages: how their tasks went,
 * and a reminder now. The tasks are WeCom's; the reminder is delivery's to send.
 */
@ApiTags('owners')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 429)
@Controller('v1/owners')
export class OwnersController {
  constructor(
    private readonly report: OwnersReport,
    private readonly confirmations: Confirmations,
  ) {}

  /** Every owner with tasks in the period: waiting, confirmed on time (before any reminder) or late, expired, and the median time to confirm. */
  @Get()
  @Allow('planner', 'viewer')
  async list(@Query() query: OwnersQuery): Promise<OwnerListDto> {
    return { items: await this.report.list(query.days) };
  }

  /** One owner's figures, day by day. */
  @Get(':owner')
  @Allow('planner', 'viewer')
  @ApiParam({ name: 'owner', schema: { type: 'string', pattern: OWNER.source } })
  one(@Param('owner') owner: string, @Query() query: OwnersQuery): Promise<OwnerDetailDto> {
    return this.report.one(checked(owner), query.days);
  }

  /**
   * Reminds the owner of each task of theirs not yet confirmed, now, outside the channel's schedule;
   * a task that has had 3 reminders (WeCom's limit in 24 hours) is left alone.
   */
  @Post(':owner/remind')
  @Allow('planner')
  @HttpCode(200)
  @ApiParam({ name: 'owner', schema: { type: 'string', pattern: OWNER.source } })
  remind(@Param('owner') owner: string): Promise<RemindOwnerDto> {
    return this.confirmations.remindOwner(checked(owner));
  }
}
