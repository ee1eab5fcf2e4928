import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One call to a provider for a post: when, how long, and what came of it. */
@Entity('post_attempts')
@Index(['postId', 'attemptedAt'])
export class PostAttempt {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  postId: string;

  @Column({ type: 'datetime', precision: 3 })
  attemptedAt: Date;

  @Column({ type: 'int' })
  latencyMs: number;

  /** ok · rate · transient · permanent · ambiguous · moved */
  @Column({ type: 'varchar', length: 16 })
  outcome: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  code: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  error: string | null;
}
