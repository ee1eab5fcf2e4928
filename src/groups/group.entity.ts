import { sealedJson } from '../database/sealed-json';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Channel } from './channel.entity';

export const GROUP_TYPES = ['product', 'learning', 'interest', 'friends'] as const;
export type GroupType = (typeof GROUP_TYPES)[number];
export const GROUP_STATUSES = ['active', 'paused', 'archived'] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

@Entity('groups')
@Index(['channelId', 'status'])
@Index(['status', 'createdAt'])
/** Pages of groups (the calendar, lists) go in name order: read along this, not sorted each time. */
@Index('IDX_groups_name', ['name'])
export class Group {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 36 })
  channelId: string;

  @ManyToOne(() => Channel, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'channel_id' })
  channel?: Channel;

  /** Where this group's posts go, secrets included (a robot key, a signing secret). Never returned as is. */
  @Column({ type: 'json', transformer: sealedJson })
  address: Record<string, string>;

  /** The staff member who owns the chat (a WeCom customer group's sender), copied from the address for the inbox. */
  @Index('IDX_groups_owner')
  @Column({ type: 'varchar', length: 64, nullable: true })
  owner: string | null;

  /** Which chat the address names (a hash, see chat-key.ts): one group per chat. */
  @Index('IDX_groups_chat_key', { unique: true })
  @Column({ type: 'char', length: 64, nullable: true })
  chatKey: string | null;

  /** The operator's own id for the group (a CRM's, a spreadsheet's): bulk import can match on it. */
  @Index('IDX_groups_external_id', { unique: true })
  @Column({ type: 'varchar', length: 128, nullable: true, collation: 'utf8mb4_bin' })
  externalId: string | null;

  @Column({ length: 64 })
  timezone: string;

  /** "HH:mm-HH:mm" in the group's time zone; may cross midnight. */
  @Column({ type: 'varchar', length: 11, nullable: true })
  quietHours: string | null;

  @Column({ type: 'int', nullable: true })
  memberCount: number | null;

  /** When the provider says the chat was created: set once a sync or a callback has read the group from WeCom. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  chatCreatedAt: Date | null;

  /** When the provider said the chat was dismissed: the group is archived, its history kept. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  dismissedAt: Date | null;

  /** Policy: null takes the global default. */
  @Column({ type: 'int', nullable: true })
  minGapMinutes: number | null;

  @Column({ type: 'int', nullable: true })
  dailyCap: number | null;

  @Column({ type: 'int', nullable: true })
  promoCap: number | null;

  /** YYYY-MM-DD local dates when nothing is sent to this group (on top of the global ones). */
  @Column({ type: 'json', nullable: true })
  blackoutDates: string[] | null;

  @Column({ type: 'varchar', length: 16 })
  type: GroupType;

  @Column({ type: 'json' })
  vars: Record<string, string>;

  @Column({ type: 'json' })
  tags: string[];

  @Column({ type: 'varchar', length: 16 })
  status: GroupStatus;

  @Column({ type: 'varchar', length: 500, nullable: true })
  pausedReason: string | null;

  /** Sends to the group that failed since its last success or resume: the breaker pauses it at its channel's limit. */
  @Column({ type: 'int', default: 0 })
  consecutiveFailures: number;

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
