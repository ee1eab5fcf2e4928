import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What purged posts counted for (see PostRollup), so that summaries survive retention; and groups
 * in name order, which pages of groups read along.
 */
export class RollupsAndGroupNames1796200000000 implements MigrationInterface {
  name = 'RollupsAndGroupNames1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`post_rollups\` (
        \`rollup_key\` binary(20) NOT NULL,
        \`run_id\` varchar(36) NULL,
        \`routine_id\` varchar(36) NULL,
        \`content_id\` varchar(36) NULL,
        \`group_id\` varchar(36) NOT NULL,
        \`stage\` varchar(16) NOT NULL,
        \`step\` int NOT NULL,
        \`status\` varchar(24) NOT NULL,
        \`post_count\` int NOT NULL,
        \`last_at\` datetime(3) NOT NULL,
        \`clicks\` int NOT NULL DEFAULT 0,
        \`previews\` int NOT NULL DEFAULT 0,
        \`unique_clicks\` int NOT NULL DEFAULT 0,
        INDEX \`IDX_post_rollups_run\` (\`run_id\`),
        INDEX \`IDX_post_rollups_routine\` (\`routine_id\`),
        INDEX \`IDX_post_rollups_content_group\` (\`content_id\`, \`group_id\`),
        PRIMARY KEY (\`rollup_key\`)
      ) ENGINE=InnoDB`,
    );
    await queryRunner.query('CREATE INDEX `IDX_groups_name` ON `groups` (`name`)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_groups_name` ON `groups`');
    await queryRunner.query('DROP TABLE `post_rollups`');
  }
}
