import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyRole } from '../auth/access.decorator';
import { RunsService } from '../campaigns/runs.service';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidParam } from '../common/id-param';
import { ContentService } from '../content/content.service';
import { RoutinesService } from '../routines/routines.service';
import { FunnelDto } from './dto/funnel.dto';
import { FunnelService } from './funnel.service';

@ApiTags('funnels')
@ApiBearerAuth()
@ApiErrors(401, 403, 404, 429)
@AnyRole()
@Controller('v1')
export class FunnelController {
  constructor(
    private readonly funnels: FunnelService,
    private readonly runs: RunsService,
    private readonly routines: RoutinesService,
    private readonly pieces: ContentService,
  ) {}

  /** Sent → clicks → orders per stage and step, and the 20 best and weakest groups. */
  @Get('runs/:id/funnel')
  async run(@UuidParam() id: string): Promise<FunnelDto> {
    await this.runs.find(id);
    return this.funnels.funnel({ runId: id }, 'step');
  }

  /** Sent → clicks → orders per stage and content piece, and the 20 best and weakest groups. */
  @Get('routines/:id/funnel')
  async routine(@UuidParam() id: string): Promise<FunnelDto> {
    await this.routines.get(id);
    return this.funnels.funnel({ routineId: id }, 'piece');
  }

  /** How a piece did wherever it was sent: per stage and per run or routine, and by group. */
  @Get('content/:id/stats')
  async content(@UuidParam() id: string): Promise<FunnelDto> {
    await this.pieces.get(id);
    return this.funnels.funnel({ contentId: id }, 'source');
  }
}
