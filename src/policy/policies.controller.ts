import { Body, Controller, Get, Patch, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { PolicyDto, ReplacePolicyDto } from './dto/policy.dto';
import { PoliciesService } from './policies.service';

@ApiTags('policies')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Controller('v1/policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  /** The global anti-spam defaults that groups inherit. */
  @Get()
  @Allow('planner', 'viewer')
  get(): Promise<PolicyDto> {
    return this.policies.get();
  }

  /** Replaces the whole policy: every field, null (or "off") for none. */
  @Put()
  @Allow('planner')
  @ApiErrors(400)
  replace(@Body() dto: ReplacePolicyDto): Promise<PolicyDto> {
    return this.policies.replace(dto);
  }

  /** Changes the fields given; those left out stay as they are. */
  @Patch()
  @Allow('planner')
  @ApiErrors(400)
  update(@Body() dto: PolicyDto): Promise<PolicyDto> {
    return this.policies.update(dto);
  }
}
