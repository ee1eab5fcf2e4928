import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Groups read from their provider: when WeCom says a chat was created or dismissed, each reading
 * of a channel's groups (group_syncs), and the signed events a provider sent, kept once each.
 */
export class GroupSync1796800000000 implements MigrationInterface {
  name = 'GroupSync1796800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `groups` ADD `chat_created_at` datetime(3) NULL AFTER `member_count`, ADD `dismissed_at` datetime(3) NULL AFTER `chat_created_at`',
    );
    await queryRunner.query(
      `CREATE TABLE \`group_syncs\` (
        \`id\` varchar(36) NOT NULL,
        \`channel_id\` varchar(36) NOT NULL,
        \`status\` varchar(16) NOT NULL,
        \`trigger\` varchar(16) NOT NULL,
        \`requested_at\` datetime(3) NOT NULL,
        \`started_at\` datetime(3) NULL,
        \`finished_at\` datetime(3) NULL,
        \`listed\` int NOT NULL DEFAULT 0,
        \`created\` int NOT NULL DEFAULT 0,
        \`updated\` int NOT NULL DEFAULT 0,
        \`dismissed\` int NOT NULL DEFAULT 0,
        \`error\` varchar(500) NULL,
        INDEX \`IDX_group_syncs_channel_requested\` (\`channel_id\`, \`requested_at\`),
        INDEX \`IDX_group_syncs_status\` (\`status\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`provider_events\` (
        \`id\` bigint NOT NULL AUTO_INCREMENT,
        \`channel_id\` varchar(36) NOT NULL,
        \`digest\` char(64) NOT NULL,
        \`kind\` varchar(64) NOT NULL,
        \`group_id\` varchar(36) NULL,
        \`outcome\` varchar(300) NOT NULL,
        \`received_at\` datetime(3) NOT NULL,
        UNIQUE INDEX \`IDX_provider_events_channel_digest\` (\`channel_id\`, \`digest\`),
        INDEX \`IDX_provider_events_received\` (\`received_at\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `provider_events`');
    await queryRunner.query('DROP TABLE `group_syncs`');
    await queryRunner.query('ALTER TABLE `groups` DROP COLUMN `dismissed_at`, DROP COLUMN `chat_created_at`');
  }
}
