import { MigrationInterface, QueryRunner } from 'typeorm';

/** What a run does with a post WeCom's receive cap holds: wait for the next window, or skip all but the steps it keeps. */
export class ReceiveCap1796900000000 implements MigrationInterface {
  name = 'ReceiveCap1796900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "ALTER TABLE `runs` ADD `cap_mode` varchar(8) NOT NULL DEFAULT 'wait' AFTER `catch_up`, ADD `keep_steps` json NULL AFTER `cap_mode`",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `runs` DROP COLUMN `keep_steps`, DROP COLUMN `cap_mode`');
  }
}
