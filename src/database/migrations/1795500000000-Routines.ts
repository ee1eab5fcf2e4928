import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * - routines: recurring slots in each group's local time, with where their content comes from;
 * - posts.routine_id, and run_id, content_id and revision nullable: a routine's post has no run,
 *   and a skipped slot (nothing to send) has no piece; one post per routine, group and slot.
 */
export class Routines1795500000000 implements MigrationInterface {
  name = 'Routines1795500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `routines` (`id` varchar(36) NOT NULL, `name` varchar(200) NOT NULL, `audience` json NOT NULL, ' +
        '`schedule` json NOT NULL, `stage` varchar(16) NOT NULL, `source` json NOT NULL, `start_date` date NULL, ' +
        '`end_date` date NULL, `status` varchar(16) NOT NULL, `materialized_until` datetime(3) NULL, ' +
        '`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), ' +
        '`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), ' +
        'INDEX `IDX_routines_status` (`status`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'ALTER TABLE `posts` MODIFY `run_id` varchar(36) NULL, MODIFY `content_id` varchar(36) NULL, ' +
        'MODIFY `revision` int NULL, ADD `routine_id` varchar(36) NULL, ' +
        'ADD UNIQUE INDEX `UQ_posts_routine_slot` (`routine_id`, `group_id`, `due_at`)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM `posts` WHERE `routine_id` IS NOT NULL');
    await queryRunner.query(
      'ALTER TABLE `posts` DROP INDEX `UQ_posts_routine_slot`, DROP `routine_id`, MODIFY `revision` int NOT NULL, ' +
        'MODIFY `content_id` varchar(36) NOT NULL, MODIFY `run_id` varchar(36) NOT NULL',
    );
    await queryRunner.query('DROP TABLE `routines`');
  }
}
