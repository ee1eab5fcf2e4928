import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A signed event a provider sent about a channel's groups (a WeCom customer group created, changed
 * or dismissed), kept once by its digest: a retry or a replay of the same event finds it here and
 * changes nothing.
 */
@Entity('provider_events')
@Index('IDX_provider_events_channel_digest', ['channelId', 'digest'], { unique: true })
@Index('IDX_provider_events_received', ['receivedAt'])
export class ProviderEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  channelId: string;

  /** SHA-256 of the signed payload, hex. */
  @Column({ type: 'char', length: 64 })
  digest: string;

  /** e.g. `change_external_chat.create`. */
  @Column({ type: 'varchar', length: 64 })
  kind: string;

  /** The group it names, when groupcast has one for its chat. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  groupId: string | null;

  /** What it did, for people. */
  @Column({ type: 'varchar', length: 300 })
  outcome: string;

  @Column({ type: 'datetime', precision: 3 })
  receivedAt: Date;
}
