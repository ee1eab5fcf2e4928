import { MigrationInterface, QueryRunner } from 'typeorm';
import { CHANNEL_DEFINITIONS } from '../../providers/channel-types';
import { ChannelType } from '../../providers/channel-types';
import { chatKey } from '../../providers/chat-key';
import { updateEach } from '../bulk-insert';

const CHUNK = 1000;

/**
 * - groups.chat_key (unique): one group per chat. Groups that already share a chat keep sending
 *   through the first (an active one first, then the oldest); the others are paused, with the reason;
 * - groups.external_id (unique, compared exactly): the operator's own id, for bulk upserts;
 * - posts (run_id, group_id, status, step) and (run_id, status, stage), the latter in place of
 *   (run_id, status): run stats are two index-only passes that need no temporary table;
 * - runs.catch_up: what a run does with steps that are overdue (a start in the past, a late step);
 * - runs.pin_revisions: whether unsent posts keep the revision published at launch;
 * - runs.request_hash: what a launch with an Idempotency-Key asked for;
 * - installation: this database's id, which claims QUEUE_PREFIX in Redis;
 * - post_deferrals: every time a post was held back, and why.
 */
export class Trust1795400000000 implements MigrationInterface {
  name = 'Trust1795400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `groups` ADD `chat_key` char(64) NULL, ADD `external_id` varchar(128) COLLATE utf8mb4_bin NULL',
    );
    const rows = (await queryRunner.query(
      "SELECT g.id, g.name, g.channel_id AS channelId, g.address, c.type FROM `groups` g JOIN `channels` c ON c.id = g.channel_id ORDER BY g.status = 'active' DESC, g.created_at, g.id",
    )) as {
      id: string;
      name: string;
      channelId: string;
      address: string | Record<string, string>;
      type: ChannelType;
    }[];
    const holders = new Map<string, { id: string; name: string }>();
    const keyed: { id: string; key: string }[] = [];
    const doubles: { id: string; reason: string }[] = [];
    for (const row of rows) {
      const address =
        typeof row.address === 'string' ? (JSON.parse(row.address) as Record<string, string>) : row.address;
      const key = chatKey(CHANNEL_DEFINITIONS[row.type], row.channelId, address);
      if (key === null) continue;
      const holder = holders.get(key);
      if (holder)
        doubles.push({
          id: row.id,
          reason: `the same chat as group ${holder.id} (${holder.name}): paused so that posts go there once`,
        });
      else {
        holders.set(key, row);
        keyed.push({ id: row.id, key });
      }
    }
    for (let i = 0; i < keyed.length; i += CHUNK) {
      await updateEach(queryRunner.manager, 'groups', '`updated_at` = `updated_at`', keyed.slice(i, i + CHUNK), {
        chat_key: (r) => r.key,
      });
    }
    for (let i = 0; i < doubles.length; i += CHUNK) {
      await updateEach(queryRunner.manager, 'groups', "`status` = 'paused'", doubles.slice(i, i + CHUNK), {
        paused_reason: (r) => r.reason,
      });
    }
    await queryRunner.query('CREATE UNIQUE INDEX `IDX_groups_chat_key` ON `groups` (`chat_key`)');
    await queryRunner.query('CREATE UNIQUE INDEX `IDX_groups_external_id` ON `groups` (`external_id`)');
    await queryRunner.query('CREATE INDEX `IDX_posts_run_group` ON `posts` (`run_id`, `group_id`, `status`, `step`)');
    await queryRunner.query('CREATE INDEX `IDX_posts_run_status_stage` ON `posts` (`run_id`, `status`, `stage`)');
    await queryRunner.query('DROP INDEX `IDX_01ce36696482c138735e5740e2` ON `posts`');
    await queryRunner.query(
      'CREATE TABLE `installation` (`id` varchar(36) NOT NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query('INSERT INTO `installation` (`id`) VALUES (UUID())');
    await queryRunner.query(
      'CREATE TABLE `post_deferrals` (`id` bigint NOT NULL AUTO_INCREMENT, `post_id` varchar(36) NOT NULL, `deferred_at` datetime(3) NOT NULL, `until` datetime(3) NOT NULL, `reason` varchar(300) NOT NULL, INDEX `IDX_post_deferrals_post` (`post_id`, `deferred_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'ALTER TABLE `runs` ADD `catch_up` varchar(8) NULL, ADD `pin_revisions` tinyint NOT NULL DEFAULT 0, ADD `request_hash` char(64) NULL',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `post_deferrals`');
    await queryRunner.query('DROP TABLE `installation`');
    await queryRunner.query(
      'ALTER TABLE `runs` DROP COLUMN `request_hash`, DROP COLUMN `pin_revisions`, DROP COLUMN `catch_up`',
    );
    await queryRunner.query('CREATE INDEX `IDX_01ce36696482c138735e5740e2` ON `posts` (`run_id`, `status`)');
    await queryRunner.query('DROP INDEX `IDX_posts_run_status_stage` ON `posts`');
    await queryRunner.query('DROP INDEX `IDX_posts_run_group` ON `posts`');
    await queryRunner.query('DROP INDEX `IDX_groups_external_id` ON `groups`');
    await queryRunner.query('DROP INDEX `IDX_groups_chat_key` ON `groups`');
    await queryRunner.query('ALTER TABLE `groups` DROP COLUMN `external_id`, DROP COLUMN `chat_key`');
  }
}
