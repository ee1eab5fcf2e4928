import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { RenderGroup } from '../templates/render-context';
import { RendererService } from '../templates/renderer.service';
import { PreviewContentDto, PreviewGroupDto } from './dto/content.dto';
import { PreviewDto } from './dto/content-views.dto';
import { RenderableRevisions } from './renderable-revisions.service';

const MAX_VAR_LENGTH = 500;

/** A revision rendered as a group would get it, at a time: what an editor sees before publishing. */
@Injectable()
export class ContentPreview {
  constructor(
    private readonly revisions: RenderableRevisions,
    private readonly renderer: RendererService,
  ) {}

  async preview(id: string, dto: PreviewContentDto): Promise<PreviewDto> {
    const piece = await this.revisions.pieceHead(id);
    const number = dto.revision ?? piece.currentRevision;
    const revision = await this.revisions.revisionOf(piece, number);
    if (!revision) throw DomainError.invalid([{ field: 'revision', message: `revision ${number} does not exist` }]);
    const group = dto.group ? previewGroup(dto.group) : undefined;
    return this.renderer.render(revision, dto.format, group, {
      dueAt: dto.at ? new Date(dto.at) : new Date(),
    });
  }
}

function previewGroup(group: PreviewGroupDto): RenderGroup {
  const vars = group.vars ?? {};
  const bad = Object.entries(vars).find(([, value]) => typeof value !== 'string' || value.length > MAX_VAR_LENGTH);
  if (bad) {
    throw DomainError.invalid([
      { field: `group.vars.${bad[0]}`, message: `must be a string of at most ${MAX_VAR_LENGTH} characters` },
    ]);
  }
  return { name: group.name, timezone: group.timezone, vars };
}
