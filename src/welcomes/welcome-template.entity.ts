import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const WELCOME_STATUSES = ['active', 'failed', 'deleted'] as const;
export type WelcomeStatus = (typeof WELCOME_STATUSES)[number];

/** A welcome piece as a WeCom welcome template on one customer-group channel, kept in step with its revisions. */
@Entity('welcome_templates')
@Index('IDX_welcome_templates_piece_channel', ['pieceId', 'channelId'], { unique: true })
export class WelcomeTemplateRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 36 })
  pieceId: string;

  @Column({ type: 'varchar', length: 36 })
  channelId: string;

  /** The revision WeCom holds (or was last asked to). */
  @Column({ type: 'int' })
  revision: number;

  /** WeCom's template_id; null until WeCom made it. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  templateId: string | null;

  /** `active`: WeCom holds this revision; `failed`: WeCom refused it (error); `deleted`: taken down with the piece. */
  @Column({ type: 'varchar', length: 16 })
  status: WelcomeStatus;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @UpdateDateColumn({
    type: 'datetime',
    precision: 3,
    default: () => 'CURRENT_TIMESTAMP(3)',
    onUpdate: 'CURRENT_TIMESTAMP(3)',
  })
  updatedAt: Date;
}
