import { MigrationInterface, QueryRunner } from 'typeorm';

/** Listing a run's posts in due order reads the first page from this index instead of sorting the whole run. */
export class PostsByRunInOrder1795380000000 implements MigrationInterface {
  name = 'PostsByRunInOrder1795380000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX `IDX_posts_run_due_step` ON `posts` (`run_id`, `due_at`, `step`)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_posts_run_due_step` ON `posts`');
  }
}
