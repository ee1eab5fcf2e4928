import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Stage } from '../common/stages';
import { Timing } from './timing';

@Entity('campaign_steps')
export class CampaignStep {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  campaignId: string;

  /** 0-based order in the campaign. */
  @PrimaryColumn({ type: 'int' })
  position: number;

  @Column({ type: 'varchar', length: 16 })
  stage: Stage;

  @Column({ type: 'varchar', length: 36 })
  contentId: string;

  @Column({ type: 'json' })
  timing: Timing;
}
