import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { CONTENT_ARCHIVED, CONTENT_PUBLISHED, ContentChanged } from '../content/content-events';
import { ContentCatalog } from '../content/content-catalog.service';
import { RenderableRevisions } from '../content/renderable-revisions.service';
import { Channel } from '../groups/channel.entity';
import { ChannelsService } from '../groups/channels.service';
import { GroupDirectory } from '../groups/group-directory.service';
import { Failure } from '../providers/outcomes';
import { WecomCustomerApi, WelcomeTemplate } from '../providers/wecom-customer/wecom-customer-api';
import { RendererService } from '../templates/renderer.service';
import { WelcomeDto } from './dto/welcome.dto';
import { WelcomeTemplateRow } from './welcome-template.entity';

export const WELCOME_KIND = 'welcome';
/** A welcome is rendered for no group in particular: WeCom sends the same text to every group that uses it. */
const ANY_GROUP = { name: '', timezone: 'Asia/Shanghai', vars: {} };

/**
 * Welcome pieces as WeCom welcome templates (group_welcome_template), on every active
 * customer-group channel: made when a piece is first published, edited when a new revision is,
 * deleted when the piece is archived. WeCom's refusal is kept with the template and logged; the
 * publication itself stands.
 */
@Injectable()
export class WelcomeTemplates {
  private readonly logger = new Logger(WelcomeTemplates.name);

  constructor(
    @InjectRepository(WelcomeTemplateRow) private readonly rows: Repository<WelcomeTemplateRow>,
    private readonly channels: ChannelsService,
    private readonly catalog: ContentCatalog,
    private readonly revisions: RenderableRevisions,
    private readonly renderer: RendererService,
    private readonly directory: GroupDirectory,
    private readonly api: WecomCustomerApi,
  ) {}

  @OnEvent(CONTENT_PUBLISHED, { promisify: true })
  async published({ pieceId, kind }: ContentChanged): Promise<void> {
    if (kind !== WELCOME_KIND) return;
    const revision = (await this.catalog.publishedRevisions([pieceId])).get(pieceId)?.revision;
    if (revision === null || revision === undefined) return;
    const piece = await this.revisions.renderable(pieceId, revision);
    const welcome: WelcomeTemplate = {
      text: this.renderer.render(piece, 'text', ANY_GROUP).text,
      picture: this.renderer.pictures(piece)[0],
    };
    for (const channel of await this.customerChannels()) {
      const row = await this.rows.findOneBy({ pieceId, channelId: channel.id });
      const settings = this.channels.settings(channel);
      const live = row?.templateId && row.status !== 'deleted' ? row.templateId : null;
      const answer = live
        ? ((await this.api.editWelcome(settings, live, welcome)) ?? { templateId: live })
        : await this.api.addWelcome(settings, welcome);
      await this.record(pieceId, channel, revision, row, answer);
    }
  }

  @OnEvent(CONTENT_ARCHIVED, { promisify: true })
  async archived({ pieceId, kind }: ContentChanged): Promise<void> {
    if (kind !== WELCOME_KIND) return;
    const rows = await this.rows.findBy({ pieceId, status: In(['active', 'failed']) });
    const channels = await this.channels.findMany(rows.map((r) => r.channelId));
    for (const row of rows) {
      const channel = channels.get(row.channelId);
      const failed =
        channel && row.templateId
          ? await this.api.deleteWelcome(this.channels.settings(channel), row.templateId)
          : undefined;
      if (failed) this.logger.warn(`deleting welcome template ${row.templateId}: ${failed.reason ?? failed.kind}`);
      await this.rows.update(
        { id: row.id },
        { status: failed ? 'failed' : 'deleted', error: failed ? reasonOf(failed) : null },
      );
    }
  }

  /** Every welcome template, or those a group uses: published welcome pieces sharing one of its tags, on its channel. */
  async list(groupId?: string): Promise<WelcomeDto[]> {
    let rows: WelcomeTemplateRow[];
    if (groupId) {
      const { group } = await this.directory.deliveryTarget(groupId);
      const pieces = new Set<string>();
      for (const tag of group.tags) for (const p of await this.catalog.pool(tag, WELCOME_KIND)) pieces.add(p.id);
      rows =
        pieces.size === 0
          ? []
          : await this.rows.findBy({
              pieceId: In([...pieces]),
              channelId: group.channelId,
              status: In(['active', 'failed']),
            });
    } else {
      rows = await this.rows.find({ order: { updatedAt: 'DESC' }, take: 500 });
    }
    const titles = await this.catalog.titles(rows.map((r) => ({ id: r.pieceId, revision: r.revision })));
    return rows.map((r) => ({
      pieceId: r.pieceId,
      title: titles.get(`${r.pieceId}:${r.revision}`)?.title ?? '',
      channelId: r.channelId,
      revision: r.revision,
      templateId: r.templateId,
      status: r.status,
      error: r.error,
      updatedAt: r.updatedAt,
    }));
  }

  private async customerChannels(): Promise<Channel[]> {
    return (await this.channels.all()).filter((c) => c.type === 'wecom_customer_group' && c.status === 'active');
  }

  private async record(
    pieceId: string,
    channel: Channel,
    revision: number,
    row: WelcomeTemplateRow | null,
    answer: { templateId: string } | Failure,
  ): Promise<void> {
    const failed = 'kind' in answer ? answer : undefined;
    if (failed) this.logger.warn(`welcome template of ${pieceId} on ${channel.name}: ${reasonOf(failed)}`);
    const fields = {
      revision,
      status: failed ? ('failed' as const) : ('active' as const),
      templateId: failed ? (row?.templateId ?? null) : (answer as { templateId: string }).templateId,
      error: failed ? reasonOf(failed) : null,
    };
    if (row) await this.rows.update({ id: row.id }, fields);
    else await this.rows.insert({ pieceId, channelId: channel.id, ...fields });
  }
}

function reasonOf(failure: Failure): string {
  return `${failure.reason ?? failure.kind}`.slice(0, 500);
}
