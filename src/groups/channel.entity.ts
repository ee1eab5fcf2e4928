import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { sealedJson } from '../database/sealed-json';
import { ChannelConfig } from '../providers/adapter';
import { ChannelType } from '../providers/channel-types';

export const CHANNEL_STATUSES = ['active', 'disabled'] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

@Entity('channels')
export class Channel {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  type: ChannelType;

  @Column({ type: 'json' })
  config: ChannelConfig;

  /** Account-wide secrets (a Telegram bot token). Never returned, logged or queued. */
  @Column({ type: 'json', transformer: sealedJson })
  credentials: Record<string, string>;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status: ChannelStatus;

  @Column({ type: 'varchar', length: 500, nullable: true })
  disabledReason: string | null;

  @CreateDateColumn({ type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  @UpdateDateColumn({
    type: 'datetime',
    precision: 3,
    default: () => 'CURRENT_TIMESTAMP(3)',
    onUpdate: 'CURRENT_TIMESTAMP(3)',
  })
  updatedAt: Date;
}
