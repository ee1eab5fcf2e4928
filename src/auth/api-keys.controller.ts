import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { UuidParam } from '../common/id-param';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto, WhoAmIDto } from './dto/api-key.dto';
import { Allow } from './access.decorator';
import { CurrentPrincipal } from './principal.decorator';
import { Principal } from './roles';

@ApiTags('api-keys')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /** Creates a key; the key is in this response only. */
  @Post()
  @ApiErrors(400)
  create(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(dto);
  }

  @Get()
  list(): Promise<ApiKeyDto[]> {
    return this.apiKeys.list();
  }

  /** Revokes a key at once. */
  @Delete(':id')
  @HttpCode(204)
  @ApiErrors(404)
  remove(@UuidParam() id: string): Promise<void> {
    return this.apiKeys.remove(id);
  }
}

@ApiTags('api-keys')
@ApiBearerAuth()
@ApiErrors(401)
@Allow('editor', 'planner', 'viewer', 'integration')
@Controller('v1/me')
export class WhoAmIController {
  /** The calling key's id and role. */
  @Get()
  get(@CurrentPrincipal() principal: Principal): WhoAmIDto {
    return { keyId: principal.keyId, role: principal.role };
  }
}
