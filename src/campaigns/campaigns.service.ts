import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { inTransaction, insertRows } from '../database/mysql';
import { DomainError } from '../common/domain-error';
import { ContentCatalog } from '../content/content-catalog.service';
import { Campaign } from './campaign.entity';
import { campaignProblems } from './campaign-rules';
import { CampaignStep } from './campaign-step.entity';
import { LIVE_RUN_STATUSES } from '../common/run-status';
import { Run } from './run.entity';
import { CampaignDto, CreateCampaignDto, StepDto, UpdateCampaignDto, ValidationReportDto } from './dto/campaign.dto';

export interface LoadedCampaign {
  campaign: Campaign;
  steps: CampaignStep[];
}

@Injectable()
export class CampaignsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Campaign) private readonly campaigns: Repository<Campaign>,
    @InjectRepository(CampaignStep) private readonly steps: Repository<CampaignStep>,
    @InjectRepository(Run) private readonly runs: Repository<Run>,
    private readonly catalog: ContentCatalog,
  ) {}

  async create(dto: CreateCampaignDto): Promise<CampaignDto> {
    const id = await inTransaction(this.dataSource, async (manager) => {
      const campaign = await manager.save(
        manager.create(Campaign, {
          name: dto.name,
          objective: dto.objective ?? null,
          allowDirectClose: dto.allowDirectClose ?? false,
          status: 'draft',
        }),
      );
      await insertRows(manager, CampaignStep, this.stepRows(campaign.id, dto.steps));
      return campaign.id;
    });
    return this.get(id);
  }

  async list(): Promise<CampaignDto[]> {
    const campaigns = await this.campaigns.find({ order: { createdAt: 'DESC' } });
    const steps = await this.steps.find({ order: { position: 'ASC' } });
    return campaigns.map((c) =>
      this.view(
        c,
        steps.filter((s) => s.campaignId === c.id),
      ),
    );
  }

  async get(id: string): Promise<CampaignDto> {
    const { campaign, steps } = await this.load(id);
    return this.view(campaign, steps);
  }

  async update(id: string, dto: UpdateCampaignDto): Promise<CampaignDto> {
    const { campaign } = await this.load(id);
    if (campaign.status !== 'draft')
      throw DomainError.conflict(`campaign ${id} is ${campaign.status}; only drafts change`);
    await inTransaction(this.dataSource, async (manager) => {
      await manager.update(
        Campaign,
        { id },
        {
          ...(dto.name !== undefined && { name: dto.name }),
          ...(dto.objective !== undefined && { objective: dto.objective }),
          ...(dto.allowDirectClose !== undefined && { allowDirectClose: dto.allowDirectClose }),
        },
      );
      if (dto.steps) {
        await manager.delete(CampaignStep, { campaignId: id });
        await insertRows(manager, CampaignStep, this.stepRows(id, dto.steps));
      }
    });
    return this.get(id);
  }

  async validate(id: string): Promise<ValidationReportDto> {
    const problems = await this.problems(await this.load(id));
    return { valid: problems.length === 0, problems };
  }

  /** A campaign with live runs stays until they are cancelled: archiving it must not leave them sending. */
  async archive(id: string): Promise<CampaignDto> {
    await this.load(id);
    const live = await this.runs.find({
      where: { campaignId: id, status: In(LIVE_RUN_STATUSES) },
      select: ['id', 'status'],
    });
    if (live.length > 0) {
      throw DomainError.conflict(
        `campaign ${id} has ${live.length} live run(s); cancel them first (POST /v1/runs/:id/cancel)`,
        live.map((run) => ({ field: 'runs', message: `run ${run.id} is ${run.status}` })),
      );
    }
    await this.campaigns.update({ id }, { status: 'archived' });
    return this.get(id);
  }

  /** A campaign that could launch: not archived, and valid (else a 400 listing every problem). */
  async launchable(id: string): Promise<LoadedCampaign> {
    const loaded = await this.load(id);
    if (loaded.campaign.status === 'archived') throw DomainError.conflict(`campaign ${id} is archived`);
    const problems = await this.problems(loaded);
    if (problems.length > 0)
      throw DomainError.invalid(problems, `campaign ${id} cannot launch: ${problems.length} problem(s)`);
    return loaded;
  }

  /** A campaign ready to launch: valid (else a 400 listing every problem) and active. */
  async activate(id: string): Promise<LoadedCampaign> {
    const loaded = await this.launchable(id);
    if (loaded.campaign.status === 'draft') {
      await this.campaigns.update({ id }, { status: 'active' });
      loaded.campaign.status = 'active';
    }
    return loaded;
  }

  async load(id: string): Promise<LoadedCampaign> {
    const campaign = await this.campaigns.findOneBy({ id });
    if (!campaign) throw DomainError.notFound('campaign', id);
    const steps = await this.steps.find({ where: { campaignId: id }, order: { position: 'ASC' } });
    return { campaign, steps };
  }

  private async problems({ campaign, steps }: LoadedCampaign) {
    const published = await this.catalog.publishedRevisions([...new Set(steps.map((s) => s.contentId))]);
    return campaignProblems(steps, campaign.allowDirectClose, published);
  }

  private stepRows(campaignId: string, steps: StepDto[]): CampaignStep[] {
    return steps.map((step, position) =>
      Object.assign(new CampaignStep(), {
        campaignId,
        position,
        stage: step.stage,
        contentId: step.contentId,
        timing: step.timing,
      }),
    );
  }

  private view(campaign: Campaign, steps: CampaignStep[]): CampaignDto {
    return {
      id: campaign.id,
      name: campaign.name,
      objective: campaign.objective,
      status: campaign.status,
      allowDirectClose: campaign.allowDirectClose,
      steps: steps.map((s) => ({ stage: s.stage, contentId: s.contentId, timing: s.timing })),
      createdAt: campaign.createdAt,
      updatedAt: campaign.updatedAt,
    };
  }
}
