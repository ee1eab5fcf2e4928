import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import ical, { type VEvent } from 'node-ical';
import type { Response } from 'superagent';
import { CampaignFactory, ChannelFactory, GroupFactory, createKey, publishedPieces } from './support/factories';
import { fieldsOf } from './support/details';
import { RequestWith, TestApp, createTestApp } from './support/test-app';

/** A response body as the bytes that came. */
const binary = (response: Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('the calendar as a sheet and as an iCalendar file', () => {
  let t: TestApp;
  let viewer: RequestWith;
  const tag = `export-${Date.now()}`;
  const from = DateTime.now().setZone('Asia/Shanghai').startOf('day');
  const window = `from=${encodeURIComponent(from.toISO()!)}&to=${encodeURIComponent(from.plus({ days: 7 }).toISO()!)}`;

  beforeAll(async () => {
    t = await createTestApp();
    const planner = t.as(await createKey(t, 'planner'));
    viewer = t.as(await createKey(t, 'viewer'));
    const channelId = (await ChannelFactory.create(t, 'console')).id;
    await GroupFactory.create(t, channelId, {
      name: '上海导出群',
      tags: [tag],
      timezone: 'Asia/Shanghai',
      quietHours: 'off',
    });
    await GroupFactory.create(t, channelId, {
      name: '纽约导出群',
      tags: [tag],
      timezone: 'America/New_York',
      quietHours: 'off',
    });
    const pieces = await publishedPieces(t.as(await createKey(t, 'editor')), ['周二预热', '周四上新']);
    const campaign = await CampaignFactory.create(planner, pieces, [
      { day: 1, at: '10:00' },
      { day: 3, at: '20:30' },
    ]);
    await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] } })
      .expect(201);
  });
  afterAll(() => t.close());

  it('gives a sheet with one row per post in each group’s local time, in Chinese', async () => {
    const response = await viewer
      .get(`/v1/calendar/export?${window}&tag=${tag}&format=xlsx`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('群日历-')}`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.body as Buffer);
    const sheet = book.getWorksheet('群日历')!;
    const rows = sheet
      .getSheetValues()
      .slice(1)
      .map((row) => (row as unknown[]).slice(1, 8));
    expect(rows[0]).toEqual(['社群', '当地日期', '当地时间', '时区', '阶段', '内容', '状态']);
    const body = rows
      .slice(1)
      .map(([group, , time, zone, stage, title, status]) => [group, time, zone, stage, title, status]);
    expect(body).toEqual(
      expect.arrayContaining([
        ['上海导出群', '10:00', 'Asia/Shanghai', '激活', '周二预热', '已排期'],
        ['上海导出群', '20:30', 'Asia/Shanghai', '教育', '周四上新', '已排期'],
        ['纽约导出群', '10:00', 'America/New_York', '激活', '周二预热', '已排期'],
        ['纽约导出群', '20:30', 'America/New_York', '教育', '周四上新', '已排期'],
      ]),
    );
    expect(body).toHaveLength(4);
  });

  it('gives an iCalendar file a calendar app reads back with the same posts at the same instants', async () => {
    const response = await viewer.get(`/v1/calendar/export?${window}&tag=${tag}&format=ics`).expect(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const events = Object.values(ical.sync.parseICS(response.text)).filter((e) => e?.type === 'VEVENT') as VEvent[];
    const calendar = (await viewer.get(`/v1/calendar?${window}&tag=${tag}`).expect(200)).body as {
      groups: { name: string; days: { entries: { postId: string; dueAt: string }[] }[] }[];
    };
    const expected = calendar.groups.flatMap((g) =>
      g.days.flatMap((d) => d.entries.map((e) => [e.postId, Date.parse(e.dueAt)])),
    );
    expect(events.map((e) => [e.uid, e.start.getTime()]).sort()).toEqual(expected.sort());
    expect(events.map((e) => e.summary).sort()).toEqual([
      '上海导出群 · 教育 · 周四上新',
      '上海导出群 · 激活 · 周二预热',
      '纽约导出群 · 教育 · 周四上新',
      '纽约导出群 · 激活 · 周二预热',
    ]);
  });

  it('keeps only the local dates asked for, as each group lives them', async () => {
    const fromDate = from.plus({ days: 2 }).toISODate()!;
    const response = await viewer
      .get(`/v1/calendar/export?${window}&tag=${tag}&format=ics&fromDate=${fromDate}`)
      .expect(200);
    const events = Object.values(ical.sync.parseICS(response.text)).filter((e) => e?.type === 'VEVENT') as VEvent[];
    expect(events.map((e) => e.summary).sort()).toEqual([
      '上海导出群 · 教育 · 周四上新',
      '纽约导出群 · 教育 · 周四上新',
    ]);
    expect(
      fieldsOf(
        (await viewer.get(`/v1/calendar/export?${window}&tag=${tag}&format=ics&toDate=next-week`).expect(400)).body,
      ),
    ).toEqual(['toDate']);
  });

  it('names a bad format or window, and is read-only for viewers and planners alike', async () => {
    expect(
      fieldsOf((await viewer.get(`/v1/calendar/export?${window}&tag=${tag}&format=pdf`).expect(400)).body),
    ).toEqual(['format']);
    expect(fieldsOf((await viewer.get(`/v1/calendar/export?tag=${tag}&format=ics`).expect(400)).body).sort()).toEqual([
      'from',
      'to',
    ]);
    const editor = t.as(await createKey(t, 'editor'));
    await editor.get(`/v1/calendar/export?${window}&tag=${tag}&format=ics`).expect(403);
  });
});
