import { MigrationInterface, QueryRunner } from 'typeorm';
import { sealedJson } from '../sealed-json';

/** The staff member who owns a group (a WeCom customer group's sender), kept in clear beside the sealed address for the inbox. */
export class GroupOwner1796100000000 implements MigrationInterface {
  name = 'GroupOwner1796100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `groups` ADD `owner` varchar(64) NULL');
    await queryRunner.query('CREATE INDEX `IDX_groups_owner` ON `groups` (`owner`)');
    // Customer groups saved before: their owner is the sender inside the (sealed) address.
    const rows = (await queryRunner.query(
      "SELECT g.id, g.address FROM `groups` g JOIN `channels` c ON c.id = g.channel_id WHERE c.type = 'wecom_customer_group'",
    )) as { id: string; address: unknown }[];
    for (const row of rows) {
      const address = sealedJson.from(parsed(row.address)) as { sender?: string } | null;
      if (address?.sender)
        await queryRunner.query('UPDATE `groups` SET owner = ? WHERE id = ?', [address.sender, row.id]);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `IDX_groups_owner` ON `groups`');
    await queryRunner.query('ALTER TABLE `groups` DROP `owner`');
  }
}

/** MariaDB hands a JSON column back as its text, MySQL already parsed (a sealed value is a string either way). */
function parsed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
