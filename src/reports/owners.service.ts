import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { localWall } from '../common/local-time';
import { PostStatus } from '../posts/post-status';
import { OwnerDayDto, OwnerDetailDto, OwnerFiguresDto } from './dto/owner.dto';

const DEFAULT_DAYS = 30;
/** WeCom's working calendar: days of tasks are counted in Beijing time. */
const OWNER_ZONE = 'Asia/Shanghai';

interface TaskRow {
  owner: string;
  waiting: number | string;
  sent: number | string;
  expired: number | string;
  reminders: number | string;
  since: Date;
  sentAt: Date | null;
}

type Outcome = 'waiting' | 'onTime' | 'late' | 'expired' | 'other';

/**
 * Each staff member's loop of tasks: what waits for them, what they confirmed with or without a
 * reminder, what expired, and how long they take, by task (one mass message, however many of
 * their groups it names).
 */
@Injectable()
export class OwnersReport {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(days = DEFAULT_DAYS, now = new Date()): Promise<OwnerFiguresDto[]> {
    const byOwner = new Map<string, TaskRow[]>();
    for (const task of await this.tasks(days, now))
      (byOwner.get(task.owner) ?? byOwner.set(task.owner, []).get(task.owner)!).push(task);
    return [...byOwner]
      .map(([owner, tasks]) => figures(owner, tasks))
      .sort((a, b) => b.waiting - a.waiting || b.tasks - a.tasks || (a.owner < b.owner ? -1 : 1));
  }

  async one(owner: string, days = DEFAULT_DAYS, now = new Date()): Promise<OwnerDetailDto> {
    const tasks = await this.tasks(days, now, owner);
    const byDay = new Map<string, OwnerDayDto>();
    for (const task of tasks) {
      const date = localWall(new Date(task.since), OWNER_ZONE)!.date;
      const day = byDay.get(date) ?? { date, tasks: 0, waiting: 0, onTime: 0, late: 0, expired: 0 };
      day.tasks++;
      const outcome = outcomeOf(task);
      if (outcome !== 'other') day[outcome]++;
      byDay.set(date, day);
    }
    return { ...figures(owner, tasks), days: [...byDay.values()].sort((a, b) => (a.date < b.date ? -1 : 1)) };
  }

  /** One row per task made in the period: its owner, how its posts stand, its reminders and times. */
  private async tasks(days: number, now: Date, owner?: string): Promise<TaskRow[]> {
    const since = new Date(now.getTime() - days * 86_400_000);
    return (await this.dataSource.query(
      `SELECT g.owner AS owner,
              SUM(p.status = '${PostStatus.AwaitingConfirmation}') AS waiting,
              SUM(p.status = '${PostStatus.Sent}') AS sent,
              SUM(p.status = '${PostStatus.Expired}') AS expired,
              MAX(p.reminders) AS reminders, MIN(p.awaiting_since) AS since, MIN(p.sent_at) AS sentAt
       FROM posts p JOIN \`groups\` g ON g.id = p.group_id
       WHERE p.channel_type = 'wecom_customer_group' AND p.external_id IS NOT NULL
         AND p.awaiting_since >= ? AND g.owner IS NOT NULL ${owner === undefined ? '' : 'AND g.owner = ?'}
       GROUP BY g.owner, p.external_id`,
      owner === undefined ? [since] : [since, owner],
    )) as TaskRow[];
  }
}

function outcomeOf(task: TaskRow): Outcome {
  if (Number(task.waiting) > 0) return 'waiting';
  if (Number(task.sent) > 0) return Number(task.reminders) > 0 ? 'late' : 'onTime';
  if (Number(task.expired) > 0) return 'expired';
  return 'other';
}

function figures(owner: string, tasks: TaskRow[]): OwnerFiguresDto {
  const count = (outcome: Outcome) => tasks.filter((t) => outcomeOf(t) === outcome).length;
  const minutes = tasks
    .filter((t) => t.sentAt !== null && Number(t.sent) > 0)
    .map((t) => (new Date(t.sentAt!).getTime() - new Date(t.since).getTime()) / 60_000)
    .sort((a, b) => a - b);
  const waiting = tasks.filter((t) => Number(t.waiting) > 0).map((t) => new Date(t.since).getTime());
  return {
    owner,
    tasks: tasks.length,
    waiting: count('waiting'),
    onTime: count('onTime'),
    late: count('late'),
    expired: count('expired'),
    medianMinutesToConfirm: median(minutes),
    oldestWaitingSince: waiting.length > 0 ? new Date(Math.min(...waiting)) : null,
  };
}

function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return Math.round(value * 10) / 10;
}
