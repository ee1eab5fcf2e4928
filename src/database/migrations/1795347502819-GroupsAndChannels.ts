import { MigrationInterface, QueryRunner } from 'typeorm';

export class GroupsAndChannels1795347502819 implements MigrationInterface {
  name = 'GroupsAndChannels1795347502819';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`channels\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`type\` varchar(16) NOT NULL, \`config\` json NOT NULL, \`credentials\` json NOT NULL, \`status\` varchar(16) NOT NULL DEFAULT 'active', \`disabled_reason\` varchar(500) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX \`IDX_d01dd8a8e614e01b6ee2466466\` (\`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`groups\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(200) NOT NULL, \`channel_id\` varchar(36) NOT NULL, \`address\` json NOT NULL, \`timezone\` varchar(64) NOT NULL, \`quiet_hours\` varchar(11) NULL, \`member_count\` int NULL, \`type\` varchar(16) NOT NULL, \`vars\` json NOT NULL, \`tags\` json NOT NULL, \`status\` varchar(16) NOT NULL, \`paused_reason\` varchar(500) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`IDX_456a6f4579dae68a0dfc010477\` (\`status\`, \`created_at\`), INDEX \`IDX_419849449f7b4714b440bd0c66\` (\`channel_id\`, \`status\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`group_tags\` (\`group_id\` varchar(36) NOT NULL, \`tag\` varchar(64) NOT NULL, INDEX \`IDX_62b649945bc99cc49607fb2980\` (\`tag\`, \`group_id\`), PRIMARY KEY (\`group_id\`, \`tag\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`ALTER TABLE \`content_revisions\` CHANGE \`body\` \`body\` mediumtext NULL`);
    await queryRunner.query(`ALTER TABLE \`content_revisions\` CHANGE \`link\` \`link\` varchar(2048) NULL`);
    await queryRunner.query(
      `ALTER TABLE \`content_pieces\` CHANGE \`published_revision\` \`published_revision\` int NULL`,
    );
    await queryRunner.query(`ALTER TABLE \`content_pieces\` CHANGE \`published_at\` \`published_at\` datetime(3) NULL`);
    await queryRunner.query(
      `ALTER TABLE \`groups\` ADD CONSTRAINT \`FK_f36740312801ce0fdd90eaffba4\` FOREIGN KEY (\`channel_id\`) REFERENCES \`channels\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`groups\` DROP FOREIGN KEY \`FK_f36740312801ce0fdd90eaffba4\``);
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
    await queryRunner.query(`DROP INDEX \`IDX_62b649945bc99cc49607fb2980\` ON \`group_tags\``);
    await queryRunner.query(`DROP TABLE \`group_tags\``);
    await queryRunner.query(`DROP INDEX \`IDX_419849449f7b4714b440bd0c66\` ON \`groups\``);
    await queryRunner.query(`DROP INDEX \`IDX_456a6f4579dae68a0dfc010477\` ON \`groups\``);
    await queryRunner.query(`DROP TABLE \`groups\``);
    await queryRunner.query(`DROP INDEX \`IDX_d01dd8a8e614e01b6ee2466466\` ON \`channels\``);
    await queryRunner.query(`DROP TABLE \`channels\``);
  }
}
