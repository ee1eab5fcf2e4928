import { MigrationInterface, QueryRunner } from 'typeorm';

/** How long a WeCom customer group's owner has to confirm a run's or a routine's posts (null: the service default). */
export class ConfirmDeadline1796000000000 implements MigrationInterface {
  name = 'ConfirmDeadline1796000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `runs` ADD `confirm_deadline_minutes` int NULL');
    await queryRunner.query('ALTER TABLE `routines` ADD `confirm_deadline_minutes` int NULL');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `routines` DROP `confirm_deadline_minutes`');
    await queryRunner.query('ALTER TABLE `runs` DROP `confirm_deadline_minutes`');
  }
}
