import { MigrationInterface, QueryRunner } from 'typeorm';

/** How many messages with text a sent post became: what the daily and promotional caps count. */
export class PostMessages1796300000000 implements MigrationInterface {
  name = 'PostMessages1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `posts` ADD `messages` int NOT NULL DEFAULT 1');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `posts` DROP COLUMN `messages`');
  }
}
