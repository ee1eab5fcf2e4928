import { MigrationInterface, QueryRunner } from 'typeorm';

export class CampaignEngine1795349272896 implements MigrationInterface {
  name = 'CampaignEngine1795349272896';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`posts\` (\`id\` varchar(36) NOT NULL, \`run_id\` varchar(36) NOT NULL, \`step\` int NOT NULL, \`stage\` varchar(16) NOT NULL, \`group_id\` varchar(36) NOT NULL, \`channel_type\` varchar(16) NOT NULL, \`content_id\` varchar(36) NOT NULL, \`revision\` int NOT NULL, \`promotional\` tinyint NOT NULL, \`due_at\` datetime(3) NOT NULL, \`status\` varchar(16) NOT NULL, \`not_before\` datetime(3) NULL, \`defer_reason\` varchar(300) NULL, \`attempts\` int NOT NULL DEFAULT '0', \`parts_sent\` int NOT NULL DEFAULT '0', \`claimed_at\` datetime(3) NULL, \`sent_at\` datetime(3) NULL, \`external_id\` varchar(200) NULL, \`error_code\` varchar(64) NULL, \`error\` varchar(1000) NULL, \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`IDX_7238c950a78df78f720c6888d7\` (\`group_id\`, \`due_at\`), INDEX \`IDX_01ce36696482c138735e5740e2\` (\`run_id\`, \`status\`), INDEX \`IDX_a83e92424cbb1fa5ccbc49eada\` (\`status\`, \`due_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`post_attempts\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`post_id\` varchar(36) NOT NULL, \`attempted_at\` datetime(3) NOT NULL, \`latency_ms\` int NOT NULL, \`outcome\` varchar(16) NOT NULL, \`code\` varchar(64) NULL, \`error\` varchar(1000) NULL, INDEX \`IDX_6acce14a916b958300a9184707\` (\`post_id\`, \`attempted_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`policy_settings\` (\`id\` varchar(16) NOT NULL, \`quiet_hours\` varchar(11) NULL, \`min_gap_minutes\` int NULL, \`daily_cap\` int NULL, \`promo_cap\` int NULL, \`blackout_dates\` json NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`runs\` (\`id\` varchar(36) NOT NULL, \`campaign_id\` varchar(36) NOT NULL, \`status\` varchar(16) NOT NULL, \`audience\` json NOT NULL, \`start_at\` datetime(3) NOT NULL, \`max_lateness_minutes\` int NULL, \`blackout_mode\` varchar(8) NOT NULL, \`idempotency_key\` varchar(200) NULL, \`post_count\` int NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`finished_at\` datetime(3) NULL, INDEX \`IDX_3ef292ce19432e61717c3aecb4\` (\`campaign_id\`), UNIQUE INDEX \`IDX_4532d804ae44cf47f4bbbc5e7f\` (\`idempotency_key\`), INDEX \`IDX_960d03633e2a14a4bdf668aa1e\` (\`status\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`campaigns\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(200) NOT NULL, \`objective\` text NULL, \`status\` varchar(16) NOT NULL, \`allow_direct_close\` tinyint NOT NULL DEFAULT 0, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`campaign_steps\` (\`campaign_id\` varchar(36) NOT NULL, \`position\` int NOT NULL, \`stage\` varchar(16) NOT NULL, \`content_id\` varchar(36) NOT NULL, \`timing\` json NOT NULL, PRIMARY KEY (\`campaign_id\`, \`position\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`ALTER TABLE \`groups\` ADD \`min_gap_minutes\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`groups\` ADD \`daily_cap\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`groups\` ADD \`promo_cap\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`groups\` ADD \`blackout_dates\` json NULL`);
    await queryRunner.query(
      `ALTER TABLE \`channels\` CHANGE \`disabled_reason\` \`disabled_reason\` varchar(500) NULL`,
    );
    await queryRunner.query(`ALTER TABLE \`groups\` CHANGE \`quiet_hours\` \`quiet_hours\` varchar(11) NULL`);
    await queryRunner.query(`ALTER TABLE \`groups\` CHANGE \`member_count\` \`member_count\` int NULL`);
    await queryRunner.query(`ALTER TABLE \`groups\` CHANGE \`paused_reason\` \`paused_reason\` varchar(500) NULL`);
    await queryRunner.query(`ALTER TABLE \`content_revisions\` CHANGE \`body\` \`body\` mediumtext NULL`);
    await queryRunner.query(`ALTER TABLE \`content_revisions\` CHANGE \`link\` \`link\` varchar(2048) NULL`);
    await queryRunner.query(
      `ALTER TABLE \`content_pieces\` CHANGE \`published_revision\` \`published_revision\` int NULL`,
    );
    await queryRunner.query(`ALTER TABLE \`content_pieces\` CHANGE \`published_at\` \`published_at\` datetime(3) NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`content_pieces\` CHANGE \`published_at\` \`published_at\` datetime(3) NULL DEFAULT 'NULL'`,
    );
    await queryRunner.query(
      `ALTER TABLE \`content_pieces\` CHANGE \`published_revision\` \`published_revision\` int NULL DEFAULT 'NULL'`,
    );
    await queryRunner.query(
      `ALTER TABLE \`content_revisions\` CHANGE \`link\` \`link\` varchar(2048) NULL DEFAULT 'NULL'`,
    );
    await queryRunner.query(
      `ALTER TABLE \`content_revisions\` CHANGE \`body\` \`body\` mediumtext NULL DEFAULT 'NULL'`,
    );
    await queryRunner.query(
      `ALTER TABLE \`groups\` CHANGE \`paused_reason\` \`paused_reason\` varchar(500) NULL DEFAULT 'NULL'`,
    );
    await queryRunner.query(`ALTER TABLE \`groups\` CHANGE \`member_count\` \`member_count\` int NULL DEFAULT 'NULL'`);
    await queryRunner.query(
      `ALTER TABLE \`groups\` CHANGE \`quiet_hours\` \`quiet_hours\` varchar(11) NULL DEFAULT 'NULL'`,
    );
    await queryRunner.query(
      `ALTER TABLE \`channels\` CHANGE \`disabled_reason\` \`disabled_reason\` varchar(500) NULL DEFAULT 'NULL'`,
    );
    await queryRunner.query(`ALTER TABLE \`groups\` DROP COLUMN \`blackout_dates\``);
    await queryRunner.query(`ALTER TABLE \`groups\` DROP COLUMN \`promo_cap\``);
    await queryRunner.query(`ALTER TABLE \`groups\` DROP COLUMN \`daily_cap\``);
    await queryRunner.query(`ALTER TABLE \`groups\` DROP COLUMN \`min_gap_minutes\``);
    await queryRunner.query(`DROP TABLE \`campaign_steps\``);
    await queryRunner.query(`DROP TABLE \`campaigns\``);
    await queryRunner.query(`DROP INDEX \`IDX_960d03633e2a14a4bdf668aa1e\` ON \`runs\``);
    await queryRunner.query(`DROP INDEX \`IDX_4532d804ae44cf47f4bbbc5e7f\` ON \`runs\``);
    await queryRunner.query(`DROP INDEX \`IDX_3ef292ce19432e61717c3aecb4\` ON \`runs\``);
    await queryRunner.query(`DROP TABLE \`runs\``);
    await queryRunner.query(`DROP TABLE \`policy_settings\``);
    await queryRunner.query(`DROP INDEX \`IDX_6acce14a916b958300a9184707\` ON \`post_attempts\``);
    await queryRunner.query(`DROP TABLE \`post_attempts\``);
    await queryRunner.query(`DROP INDEX \`IDX_a83e92424cbb1fa5ccbc49eada\` ON \`posts\``);
    await queryRunner.query(`DROP INDEX \`IDX_01ce36696482c138735e5740e2\` ON \`posts\``);
    await queryRunner.query(`DROP INDEX \`IDX_7238c950a78df78f720c6888d7\` ON \`posts\``);
    await queryRunner.query(`DROP TABLE \`posts\``);
  }
}
