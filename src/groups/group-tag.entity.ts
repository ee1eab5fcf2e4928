import { Entity, Index, PrimaryColumn } from 'typeorm';

/** One row per tag of a group, so that audiences by tag use an index. */
@Entity('group_tags')
@Index(['tag', 'groupId'])
export class GroupTag {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  groupId: string;

  @PrimaryColumn({ length: 64 })
  tag: string;
}
