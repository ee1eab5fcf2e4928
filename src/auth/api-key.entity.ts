import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ApiRole } from './roles';

@Entity('api_keys')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  role: ApiRole;

  /** SHA-256 of the key; the key itself is shown once and never stored. */
  @Index({ unique: true })
  @Column({ type: 'char', length: 64 })
  keyHash: string;

  /** The first characters of the key, so a person can tell keys apart. */
  @Column({ length: 16 })
  keyPrefix: string;

  @CreateDateColumn({ type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;
}
