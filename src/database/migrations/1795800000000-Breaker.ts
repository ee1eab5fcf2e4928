import { MigrationInterface, QueryRunner } from 'typeorm';

/** groups.consecutive_failures: sends that failed in a row; at its channel's limit the group is paused. */
export class Breaker1795800000000 implements MigrationInterface {
  name = 'Breaker1795800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `groups` ADD `consecutive_failures` int NOT NULL DEFAULT 0');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `groups` DROP `consecutive_failures`');
  }
}
