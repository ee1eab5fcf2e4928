import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * - claim_token: one UPDATE claims a batch of posts, and the token reads back the ones it got;
 * - (run_id, due_at, step): a run's posts are listed in due order from the index, not sorted;
 * - (channel_type, status): the few posts handed to external consumers are found without a scan.
 */
export class DeliveryAtScale1795380000000 implements MigrationInterface {
  name = 'DeliveryAtScale1795380000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `posts` ADD `claim_token` varchar(36) NULL');
    await queryRunner.query('CREATE INDEX `IDX_posts_run_due_step` ON `posts` (`run_id`, `due_at`, `step`)');
    await queryRunner.query('CREATE INDEX `IDX_posts_type_status` ON `posts` (`channel_type`, `status`)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_posts_type_status` ON `posts`');
    await queryRunner.query('DROP INDEX `IDX_posts_run_due_step` ON `posts`');
    await queryRunner.query('ALTER TABLE `posts` DROP COLUMN `claim_token`');
  }
}
