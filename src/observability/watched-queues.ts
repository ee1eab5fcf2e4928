import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConnectionOptions, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { BULL_CONNECTION } from '../redis/redis.module';
import { openExternalQueue } from '../queues/external-queue';
import { ALL_QUEUES } from '../queues/queue-names';

/**
 * Every queue an operator may want to look into: the system queue, one per channel type, and one
 * per external channel (`posts.external.<name>`, found in the channels table when asked).
 */
@Injectable()
export class WatchedQueues implements OnModuleInit, OnApplicationShutdown {
  private own: Queue[] = [];
  private readonly external = new Map<string, Queue>();

  constructor(
    private readonly moduleRef: ModuleRef,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BULL_CONNECTION) private readonly connection: ConnectionOptions,
  ) {}

  onModuleInit(): void {
    this.own = ALL_QUEUES.map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.external.values()].map((q) => q.close()));
  }

  async all(): Promise<Queue[]> {
    const rows = (await this.dataSource.query(`SELECT name FROM channels WHERE type = 'external' ORDER BY name`)) as {
      name: string;
    }[];
    for (const { name } of rows) {
      if (!this.external.has(name)) {
        this.external.set(name, openExternalQueue(this.config, this.connection, name));
      }
    }
    return [...this.own, ...rows.map(({ name }) => this.external.get(name)!)];
  }
}
