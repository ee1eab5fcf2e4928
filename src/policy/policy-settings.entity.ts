import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Global policy defaults: one row, used wherever a group leaves a rule unset. */
@Entity('policy_settings')
export class PolicySettings {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  id: string;

  @Column({ type: 'varchar', length: 11, nullable: true })
  quietHours: string | null;

  @Column({ type: 'int', nullable: true })
  minGapMinutes: number | null;

  @Column({ type: 'int', nullable: true })
  dailyCap: number | null;

  @Column({ type: 'int', nullable: true })
  promoCap: number | null;

  /** YYYY-MM-DD dates, in each group's own time zone, when nothing is sent. */
  @Column({ type: 'json' })
  blackoutDates: string[];
}
