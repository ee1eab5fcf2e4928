import { MigrationInterface, QueryRunner } from 'typeorm';

/** How many reminders a post's task has had: a schedule of up to three replaces the one reminder at half the deadline. */
export class TaskReminders1797000000000 implements MigrationInterface {
  name = 'TaskReminders1797000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Added last, so that MySQL and MariaDB add it in place on a large table.
    await queryRunner.query('ALTER TABLE `posts` ADD `reminders` int NOT NULL DEFAULT 0');
    await queryRunner.query('UPDATE `posts` SET `reminders` = 1 WHERE `reminded_at` IS NOT NULL');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `posts` DROP COLUMN `reminders`');
  }
}
