import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why a group left a run, as a code beside the words: a group that lost its tags may come back
 * to an evergreen run, one a planner took out may not.
 */
export class LeaveCodes1796500000000 implements MigrationInterface {
  name = 'LeaveCodes1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `run_groups` ADD `left_code` varchar(16) NULL');
    await queryRunner.query(
      "UPDATE `run_groups` SET `left_code` = IF(`left_reason` = 'removed from the run by a planner', 'removed', 'lost_tags') WHERE `left_at` IS NOT NULL",
    );
    await queryRunner.query(
      "UPDATE `posts` SET `error_code` = 'left_run' WHERE `status` = 'cancelled' AND `error` = 'left the run: lost its tags or was archived'",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `run_groups` DROP COLUMN `left_code`');
  }
}
