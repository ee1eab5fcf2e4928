import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders belong to the API key that reported them: one shop's order id is its own, and another
 * key reporting the same id neither sees nor changes it.
 */
export class OrdersByKey1796400000000 implements MigrationInterface {
  name = 'OrdersByKey1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `conversions` ADD `reported_by` varchar(36) NOT NULL DEFAULT ''");
    await queryRunner.query('DROP INDEX `UQ_conversions_order` ON `conversions`');
    await queryRunner.query(
      'CREATE UNIQUE INDEX `UQ_conversions_key_order` ON `conversions` (`reported_by`, `order_id`)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `UQ_conversions_key_order` ON `conversions`');
    await queryRunner.query('CREATE UNIQUE INDEX `UQ_conversions_order` ON `conversions` (`order_id`)');
    await queryRunner.query('ALTER TABLE `conversions` DROP COLUMN `reported_by`');
  }
}
