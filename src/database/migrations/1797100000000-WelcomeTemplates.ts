import { MigrationInterface, QueryRunner } from 'typeorm';

/** Welcome pieces as WeCom welcome templates, one per piece and customer-group channel. */
export class WelcomeTemplates1797100000000 implements MigrationInterface {
  name = 'WelcomeTemplates1797100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`welcome_templates\` (
        \`id\` varchar(36) NOT NULL,
        \`piece_id\` varchar(36) NOT NULL,
        \`channel_id\` varchar(36) NOT NULL,
        \`revision\` int NOT NULL,
        \`template_id\` varchar(128) NULL,
        \`status\` varchar(16) NOT NULL,
        \`error\` varchar(500) NULL,
        \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        UNIQUE INDEX \`IDX_welcome_templates_piece_channel\` (\`piece_id\`, \`channel_id\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `welcome_templates`');
  }
}
