import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A global gap or cap of -1 (which PUT /v1/policies once took) held every post of every group:
 * globally "off" is null, so that is what it becomes.
 */
export class GlobalPolicyOff1796600000000 implements MigrationInterface {
  name = 'GlobalPolicyOff1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['min_gap_minutes', 'daily_cap', 'promo_cap']) {
      await queryRunner.query(`UPDATE \`policy_settings\` SET \`${column}\` = NULL WHERE \`${column}\` < 0`);
    }
  }

  public async down(): Promise<void> {
    // Nothing to restore: the values it cleared were never valid.
  }
}
