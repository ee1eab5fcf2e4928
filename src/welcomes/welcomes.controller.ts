import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { WelcomeListDto, WelcomesQuery } from './dto/welcome.dto';
import { WelcomeTemplates } from './welcome-templates.service';

@ApiTags('welcomes')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 429)
@Allow('editor', 'planner', 'viewer')
@Controller('v1/welcomes')
export class WelcomesController {
  constructor(private readonly welcomes: WelcomeTemplates) {}

  /**
   * Welcome pieces (kind `welcome`) as WeCom welcome templates, per customer-group channel, with the
   * template_id to pick in a group's 入群欢迎语 setting; with `groupId`, the ones that group uses.
   */
  @Get()
  @ApiErrors(404)
  async list(@Query() query: WelcomesQuery): Promise<WelcomeListDto> {
    return { items: await this.welcomes.list(query.groupId) };
  }
}
