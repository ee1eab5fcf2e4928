import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * - runs.evergreen: the run keeps watching its tags, and a group that gets one later starts the
 *   sequence from its own day 0;
 * - run_groups: each group a run took in, when (its day 0), and when and why it left. Filled for
 *   the runs already there from their posts.
 */
export class Evergreen1795600000000 implements MigrationInterface {
  name = 'Evergreen1795600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `runs` ADD `evergreen` tinyint NOT NULL DEFAULT 0');
    await queryRunner.query(
      'CREATE TABLE `run_groups` (`run_id` varchar(36) NOT NULL, `group_id` varchar(36) NOT NULL, ' +
        '`joined_at` datetime(3) NOT NULL, `left_at` datetime(3) NULL, `left_reason` varchar(300) NULL, ' +
        'INDEX `IDX_run_groups_group` (`group_id`), PRIMARY KEY (`run_id`, `group_id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'INSERT INTO `run_groups` (`run_id`, `group_id`, `joined_at`) ' +
        'SELECT DISTINCT p.`run_id`, p.`group_id`, r.`start_at` FROM `posts` p JOIN `runs` r ON r.`id` = p.`run_id`',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `run_groups`');
    await queryRunner.query('ALTER TABLE `runs` DROP `evergreen`');
  }
}
