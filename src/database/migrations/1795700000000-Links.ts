import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * - clicks: each request to a short link (`/r/:code`), people and link previews apart;
 * - conversions: orders shops report, attributed to a post and copied onto its run or routine,
 *   stage, step, group and piece; one row per order id.
 */
export class Links1795700000000 implements MigrationInterface {
  name = 'Links1795700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `clicks` (`id` bigint NOT NULL AUTO_INCREMENT, `post_id` varchar(36) NOT NULL, ' +
        '`link_index` tinyint UNSIGNED NOT NULL, `clicked_at` datetime(3) NOT NULL, `visitor` char(32) NOT NULL, ' +
        '`preview` tinyint NOT NULL, INDEX `IDX_clicks_post` (`post_id`, `preview`, `visitor`), ' +
        'INDEX `IDX_clicks_at` (`clicked_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `conversions` (`id` varchar(36) NOT NULL, `order_id` varchar(100) NOT NULL, ' +
        '`post_id` varchar(36) NOT NULL, `link_index` tinyint UNSIGNED NULL, `run_id` varchar(36) NULL, ' +
        '`routine_id` varchar(36) NULL, `stage` varchar(16) NOT NULL, `step` int NOT NULL, ' +
        '`group_id` varchar(36) NOT NULL, `content_id` varchar(36) NULL, `amount` decimal(14,2) NOT NULL, ' +
        '`currency` char(3) NULL, `ordered_at` datetime(3) NOT NULL, ' +
        '`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), ' +
        'UNIQUE INDEX `UQ_conversions_order` (`order_id`), INDEX `IDX_conversions_run` (`run_id`, `stage`, `step`), ' +
        'INDEX `IDX_conversions_routine` (`routine_id`, `stage`, `step`), ' +
        'INDEX `IDX_conversions_content` (`content_id`), INDEX `IDX_conversions_post` (`post_id`), ' +
        'PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `conversions`');
    await queryRunner.query('DROP TABLE `clicks`');
  }
}
