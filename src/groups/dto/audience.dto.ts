import { ArrayMaxSize, IsUUID } from 'class-validator';
import { TagList } from '../../common/tags.decorator';
import { Omittable } from '../../common/omittable.decorator';

/** Groups by id and/or by tag, as a run or a routine chooses them; only active groups take part. */
/** Groups by id and/or by tag: at least one of the two, naming at least one active group. */
export class AudienceDto {
  @Omittable()
  @ArrayMaxSize(10000)
  @IsUUID('all', { each: true })
  groupIds?: string[];

  @TagList()
  tags?: string[];
}
