import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why a post waits, as a code beside the words: wake-ups, ordering and plans compare the code.
 * Rows written before it get theirs from the words they carried then (the only reading of
 * reason text, once); words that match no rule leave the code null.
 */
export class HoldCodes1796700000000 implements MigrationInterface {
  name = 'HoldCodes1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `posts` ADD `hold_code` varchar(32) NULL AFTER `defer_reason`');
    await queryRunner.query('ALTER TABLE `post_deferrals` ADD `code` varchar(32) NULL');
    const fromWords = (column: string) => `CASE
      WHEN ${column} LIKE 'group is %' THEN 'group_inactive'
      WHEN ${column} LIKE 'channel is disabled%' THEN 'channel_disabled'
      WHEN ${column} LIKE 'goes with post %' THEN 'goes_with'
      WHEN ${column} LIKE 'waits for %' THEN 'order'
      WHEN ${column} LIKE 'quiet hours%' THEN 'quiet_hours'
      WHEN ${column} LIKE 'minimum gap%' THEN 'min_gap'
      WHEN ${column} LIKE 'daily cap%' THEN 'daily_cap'
      WHEN ${column} LIKE 'promotional cap%' THEN 'promo_cap'
      WHEN ${column} LIKE '%blackout date%' THEN 'blackout'
      WHEN ${column} LIKE 'provider rate limit for this address%' THEN 'rate_limit'
      WHEN ${column} LIKE 'provider rate limit:%' THEN 'provider_rate'
      WHEN ${column} LIKE 'external consumer rate limited%' THEN 'provider_rate'
      WHEN ${column} LIKE '%at the start instead' THEN 'before_start'
      WHEN ${column} LIKE 'its job left the external queue%' THEN 'lost_job'
      WHEN ${column} LIKE 'external consumer failed%' THEN 'retry'
      ELSE NULL END`;
    await queryRunner.query(
      `UPDATE \`posts\` SET \`hold_code\` = ${fromWords('`defer_reason`')} WHERE \`defer_reason\` IS NOT NULL`,
    );
    await queryRunner.query(`UPDATE \`post_deferrals\` SET \`code\` = ${fromWords('`reason`')}`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `post_deferrals` DROP COLUMN `code`');
    await queryRunner.query('ALTER TABLE `posts` DROP COLUMN `hold_code`');
  }
}
