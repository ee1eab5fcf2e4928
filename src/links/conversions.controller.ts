import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { ApiErrors } from '../common/api-errors.decorator';
import { ConversionsService } from './conversions.service';
import { ConversionDto, ReportConversionDto } from './dto/conversion.dto';

@ApiTags('conversions')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Controller('v1/conversions')
export class ConversionsController {
  constructor(private readonly conversions: ConversionsService) {}

  /**
   * A shop's order, credited to a sent post by the short-link code the buyer came through (or the
   * post id): 201 the first time, 200 with the same record when the key reports the order id again,
   * 409 when it comes again with another post, amount or currency. Order ids are the reporting key's
   * own: another key neither sees nor changes them.
   */
  @Post()
  @Allow('integration')
  @ApiErrors(400, 409, 422)
  @ApiCreatedResponse({ type: ConversionDto, description: 'the order, credited the first time it is reported' })
  @ApiOkResponse({
    type: ConversionDto,
    description: 'the same order reported again by the same key: the record as it stands',
  })
  async report(
    @Body() dto: ReportConversionDto,
    @CurrentPrincipal() reporter: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ConversionDto> {
    const { created, conversion } = await this.conversions.report(dto, reporter);
    response.status(created ? 201 : 200);
    return conversion;
  }
}
