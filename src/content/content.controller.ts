import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { Allow, AnyRole } from '../auth/access.decorator';
import { ApiKeysService } from '../auth/api-keys.service';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { ApiErrors } from '../common/api-errors.decorator';
import { DomainError } from '../common/domain-error';
import { PageQuery } from '../common/page.dto';
import { UuidParam } from '../common/id-param';
import { IfMatchVersion } from '../common/if-match';
import { VersionEtag } from '../common/version-etag.interceptor';
import { ContentPreview } from './content-preview.service';
import { ContentService } from './content.service';
import {
  CreateContentDto,
  ListContentQuery,
  PreviewContentDto,
  PublishContentDto,
  UpdateContentDto,
} from './dto/content.dto';
import {
  ContentPageDto,
  ContentPieceDto,
  KindDto,
  PreviewDto,
  RevisionDto,
  RevisionPageDto,
} from './dto/content-views.dto';

const IF_MATCH = { name: 'If-Match', required: false, description: 'the version the change is based on, e.g. "3"' };

const revisionNumber = new ParseIntPipe({
  exceptionFactory: () => DomainError.invalid([{ field: 'revision', message: 'must be a whole number' }]),
});

@ApiTags('content')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@UseInterceptors(VersionEtag)
@Controller('v1')
export class ContentController {
  constructor(
    private readonly content: ContentService,
    private readonly previews: ContentPreview,
    private readonly keys: ApiKeysService,
  ) {}

  /** The content kinds, each with the JSON Schema of its fields. */
  @Get('kinds')
  @AnyRole()
  kinds(): KindDto[] {
    return this.content.listKinds();
  }

  @Post('content')
  @Allow('editor')
  @ApiErrors(400, 409, 413)
  create(@Body() dto: CreateContentDto, @CurrentPrincipal() author: Principal): Promise<ContentPieceDto> {
    return this.content.create(dto, author);
  }

  @Get('content')
  @AnyRole()
  @ApiErrors(400)
  list(@Query() query: ListContentQuery): Promise<ContentPageDto> {
    return this.content.list(query);
  }

  @Get('content/:id')
  @AnyRole()
  @ApiErrors(400, 404)
  get(@UuidParam() id: string): Promise<ContentPieceDto> {
    return this.content.get(id);
  }

  /** Saves a new revision. Send the version you edited (If-Match or body) to be told of a conflicting edit. */
  @Patch('content/:id')
  @Allow('editor')
  @ApiHeader(IF_MATCH)
  @ApiErrors(400, 404, 409, 413)
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateContentDto,
    @IfMatchVersion() version: number | undefined,
    @CurrentPrincipal() author: Principal,
  ): Promise<ContentPieceDto> {
    return this.content.update(id, dto, version, author);
  }

  /** Makes a revision (the current one by default) the live one. */
  @Post('content/:id/publish')
  @HttpCode(200)
  @Allow('editor')
  @ApiHeader(IF_MATCH)
  @ApiErrors(400, 404, 409)
  publish(
    @UuidParam() id: string,
    @Body() dto: PublishContentDto,
    @IfMatchVersion() version: number | undefined,
  ): Promise<ContentPieceDto> {
    return this.content.publish(id, dto, version);
  }

  @Post('content/:id/archive')
  @HttpCode(200)
  @Allow('editor')
  @ApiHeader(IF_MATCH)
  @ApiErrors(400, 404, 409)
  archive(@UuidParam() id: string, @IfMatchVersion() version: number | undefined): Promise<ContentPieceDto> {
    return this.content.archive(id, version);
  }

  @Get('content/:id/revisions')
  @AnyRole()
  @ApiErrors(400, 404)
  async revisions(@UuidParam() id: string, @Query() query: PageQuery): Promise<RevisionPageDto> {
    const page = await this.content.listRevisions(id, query);
    const names = await this.keys.names(page.items.map((r) => r.createdBy));
    return { ...page, items: page.items.map((r) => ({ ...r, author: names.get(r.createdBy) ?? null })) };
  }

  @Get('content/:id/revisions/:revision')
  @AnyRole()
  @ApiErrors(400, 404)
  async revision(@UuidParam() id: string, @Param('revision', revisionNumber) revision: number): Promise<RevisionDto> {
    const found = await this.content.getRevision(id, revision);
    return { ...found, author: (await this.keys.names([found.createdBy])).get(found.createdBy) ?? null };
  }

  /** Renders a piece exactly as it would be sent, for a group and a time, with size warnings. */
  @Post('content/:id/preview')
  @HttpCode(200)
  @AnyRole()
  @ApiErrors(400, 404)
  preview(@UuidParam() id: string, @Body() dto: PreviewContentDto): Promise<PreviewDto> {
    return this.previews.preview(id, dto);
  }
}
