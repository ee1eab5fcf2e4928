import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { Omittable } from '../../common/omittable.decorator';

export class OwnersQuery {
  /** Tasks made in the last this many days (default 30, at most 90). */
  @Omittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(90)
  days?: number;
}

/** How a staff member's mass-message tasks went: one task per message, however many of their groups it names. */
export class OwnerFiguresDto {
  /** The staff member's WeCom userid (a customer group's `sender`). */
  owner: string;
  /** Tasks made in the period. */
  tasks: number;
  /** Still waiting for the owner to confirm. */
  waiting: number;
  /** Confirmed before any reminder went. */
  onTime: number;
  /** Confirmed after one reminder or more. */
  late: number;
  /** Not confirmed by the deadline: withdrawn. */
  expired: number;
  /** Median minutes from the task to its confirmation, over the confirmed ones; null when none. */
  medianMinutesToConfirm: number | null;
  /** Since when the oldest waiting task waits; null when none waits. */
  oldestWaitingSince: Date | null;
}

export class OwnerDayDto {
  /** The day the tasks were made, in Beijing time (yyyy-MM-dd). */
  date: string;
  tasks: number;
  waiting: number;
  onTime: number;
  late: number;
  expired: number;
}

export class OwnerListDto {
  /** Owners with the most tasks waiting first. */
  items: OwnerFiguresDto[];
}

export class OwnerDetailDto extends OwnerFiguresDto {
  /** Day by day, oldest first; days without tasks are left out. */
  days: OwnerDayDto[];
}

export class RemindOwnerDto {
  /** Tasks whose owner was reminded now. */
  reminded: number;
  /** Tasks left alone: they had the 3 reminders WeCom allows. */
  spent: number;
}
