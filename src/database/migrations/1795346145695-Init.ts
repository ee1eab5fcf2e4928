import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795346145695 implements MigrationInterface {
  name = 'Init1795346145695';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`content_tags\` (\`piece_id\` varchar(36) NOT NULL, \`tag\` varchar(64) NOT NULL, INDEX \`IDX_9a3d0d81fb69b35995eb25c6d9\` (\`tag\`, \`piece_id\`), PRIMARY KEY (\`piece_id\`, \`tag\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`content_revisions\` (\`piece_id\` varchar(36) NOT NULL, \`revision\` int NOT NULL, \`title\` varchar(200) NOT NULL, \`fields\` json NOT NULL, \`body\` mediumtext NULL, \`media\` json NOT NULL, \`link\` varchar(2048) NULL, \`tags\` json NOT NULL, \`created_by\` varchar(64) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), PRIMARY KEY (\`piece_id\`, \`revision\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`content_pieces\` (\`id\` varchar(36) NOT NULL, \`kind\` varchar(64) NOT NULL, \`slug\` varchar(128) NOT NULL, \`title\` varchar(200) NOT NULL, \`status\` varchar(16) NOT NULL, \`current_revision\` int NOT NULL, \`published_revision\` int NULL, \`version\` int NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`published_at\` datetime(3) NULL, INDEX \`IDX_b78a5d7c015a17cb060f5d901d\` (\`kind\`), UNIQUE INDEX \`IDX_d018e8ed48fe4e4e6b89d9bdcc\` (\`slug\`), INDEX \`IDX_0d0654004258fe08b530b9fe43\` (\`status\`, \`updated_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`api_keys\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`role\` varchar(16) NOT NULL, \`key_hash\` char(64) NOT NULL, \`key_prefix\` varchar(16) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), UNIQUE INDEX \`IDX_57384430aa1959f4578046c9b8\` (\`key_hash\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`IDX_57384430aa1959f4578046c9b8\` ON \`api_keys\``);
    await queryRunner.query(`DROP TABLE \`api_keys\``);
    await queryRunner.query(`DROP INDEX \`IDX_0d0654004258fe08b530b9fe43\` ON \`content_pieces\``);
    await queryRunner.query(`DROP INDEX \`IDX_d018e8ed48fe4e4e6b89d9bdcc\` ON \`content_pieces\``);
    await queryRunner.query(`DROP INDEX \`IDX_b78a5d7c015a17cb060f5d901d\` ON \`content_pieces\``);
    await queryRunner.query(`DROP TABLE \`content_pieces\``);
    await queryRunner.query(`DROP TABLE \`content_revisions\``);
    await queryRunner.query(`DROP INDEX \`IDX_9a3d0d81fb69b35995eb25c6d9\` ON \`content_tags\``);
    await queryRunner.query(`DROP TABLE \`content_tags\``);
  }
}
