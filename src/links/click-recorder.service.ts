import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { bulkInsert } from '../database/bulk-insert';
import { Statement } from '../database/mysql';

export interface ClickToRecord {
  postId: string;
  linkIndex: number;
  clickedAt: Date;
  visitor: string;
  preview: boolean;
}

const COLUMNS = ['post_id', 'link_index', 'clicked_at', 'visitor', 'preview'];
/** Clicks are written at most this long after they happen… */
const FLUSH_MS = 200;
/** …or as soon as this many wait. */
const BATCH = 500;
/** While the database is away, clicks wait in memory up to this many; older ones beyond it are dropped and counted in the log. */
const MAX_WAITING = 100_000;

/**
 * Writes clicks in batches: a redirect only queues its click, so a burst of clicks costs one
 * INSERT per batch. What is waiting is written on shutdown.
 */
@Injectable()
export class ClickRecorder implements OnApplicationShutdown {
  private readonly logger = new Logger(ClickRecorder.name);
  private waiting: unknown[][] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  record(click: ClickToRecord): void {
    this.waiting.push([click.postId, click.linkIndex, click.clickedAt, click.visitor, click.preview]);
    if (this.waiting.length >= BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes what waits now; resolves when it is written (or put back after a failure). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** What deletes the clicks on posts being purged, for the caller's transaction (their counts rolled up first). */
  purgeStatement(postIds: string[]): Statement {
    return { sql: 'DELETE FROM clicks WHERE post_id IN (?)', params: [postIds] };
  }

  private async write(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.waiting;
    if (rows.length === 0) return;
    this.waiting = [];
    try {
      await bulkInsert(this.dataSource.manager, 'clicks', COLUMNS, rows);
    } catch (error) {
      this.waiting = [...rows, ...this.waiting];
      const dropped = this.waiting.length - MAX_WAITING;
      if (dropped > 0) this.waiting.splice(0, dropped);
      this.logger.warn(
        { waiting: this.waiting.length, dropped: Math.max(0, dropped) },
        `could not write ${rows.length} clicks, trying again: ${(error as Error).message}`,
      );
      this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS * 10);
    }
  }
}
