import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * WeCom customer groups: a post waits for its group owner to confirm (`awaiting_confirmation`,
 * since when, reminded when) and may expire; the channel type's name needs more than 16 characters.
 */
export class CustomerGroups1795900000000 implements MigrationInterface {
  name = 'CustomerGroups1795900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `posts` MODIFY `status` varchar(24) NOT NULL, MODIFY `channel_type` varchar(32) NOT NULL, ' +
        'ADD `awaiting_since` datetime(3) NULL, ADD `reminded_at` datetime(3) NULL',
    );
    await queryRunner.query('ALTER TABLE `channels` MODIFY `type` varchar(32) NOT NULL');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `channels` MODIFY `type` varchar(16) NOT NULL');
    await queryRunner.query(
      'ALTER TABLE `posts` DROP `reminded_at`, DROP `awaiting_since`, MODIFY `channel_type` varchar(16) NOT NULL, MODIFY `status` varchar(16) NOT NULL',
    );
  }
}
