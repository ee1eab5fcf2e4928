import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ARTIFACTS, screenshot } from './browser';

const RECORD = join(ARTIFACTS, 'tasks.json');

/**
 * One operator task done through the UI: its clicks are counted and, when it ends, written with
 * its screenshot and duration to test-artifacts/console/tasks.json for the closing figures.
 */
export class ConsoleTask {
  clicks = 0;
  private readonly started = Date.now();

  constructor(
    readonly page: Page,
    readonly name: string,
  ) {}

  async click(target: string | Locator): Promise<void> {
    this.clicks++;
    await (typeof target === 'string' ? this.page.locator(target).first() : target).click();
  }

  async done(extra: Record<string, unknown> = {}): Promise<void> {
    await screenshot(this.page, this.name);
    mkdirSync(ARTIFACTS, { recursive: true });
    let all: Record<string, unknown> = {};
    try {
      all = JSON.parse(readFileSync(RECORD, 'utf8')) as Record<string, unknown>;
    } catch {
      all = {};
    }
    all[this.name] = { clicks: this.clicks, ms: Date.now() - this.started, screenshot: `${this.name}.png`, ...extra };
    writeFileSync(RECORD, JSON.stringify(all, null, 2));
  }
}
