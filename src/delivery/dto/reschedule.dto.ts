import { IsBoolean, IsInt, Max, Min, NotEquals } from 'class-validator';
import { IsInstant } from '../../common/instant.decorator';
import { Omittable } from '../../common/omittable.decorator';

export class ReschedulePostDto {
  /** The new due time (ISO 8601 with an offset), in the future. */
  @IsInstant()
  dueAt: string;

  /**
   * Keep a time that falls in the group's quiet hours or on a blackout date. The rules still apply
   * when the post is sent: it waits for the end of quiet hours, or the next allowed day.
   */
  @Omittable()
  @IsBoolean()
  force?: boolean;
}

export class RescheduleStepDto {
  /** How far to move every unsent post of the step, in minutes (earlier when negative), at most a week either way. */
  @IsInt()
  @Min(-10_080)
  @Max(10_080)
  @NotEquals(0)
  byMinutes: number;

  /** As for one post: keep times that break a group's rules; the rules still apply when each is sent. */
  @Omittable()
  @IsBoolean()
  force?: boolean;
}

export class MovedPostDto {
  id: string;
  groupId: string;
  dueAt: Date;
}

/** A rule a new time breaks for a group, kept because the move was forced. */
export class RescheduleWarningDto {
  groupId: string;
  groupName: string;
  reason: string;
}

export class RescheduledDto {
  /** Posts moved (a post that started sending meanwhile is not). */
  moved: number;
  posts: MovedPostDto[];
  warnings: RescheduleWarningDto[];
}
