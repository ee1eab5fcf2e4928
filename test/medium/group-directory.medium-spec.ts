import { randomBytes } from 'node:crypto';
import { Channel } from '../../src/groups/channel.entity';
import { ChannelsService } from '../../src/groups/channels.service';
import { Group } from '../../src/groups/group.entity';
import { GroupDirectory } from '../../src/groups/group-directory.service';
import { GroupWriter } from '../../src/groups/group-writer.service';
import { GroupsService } from '../../src/groups/groups.service';
import { MediumContext, createMediumContext } from '../support/medium-context';

describe('the group directory against MariaDB', () => {
  let ctx: MediumContext;
  let directory: GroupDirectory;
  let groups: GroupsService;
  let channelId: string;

  beforeAll(async () => {
    ctx = await createMediumContext();
    directory = ctx.get(GroupDirectory);
    groups = ctx.get(GroupsService);
    channelId = (await ctx.get(ChannelsService).create({ name: 'robots', type: 'wecom' })).id;
  });
  afterAll(() => ctx.close());

  const group = async (tags: string[], timezone = 'Asia/Shanghai') =>
    groups.create({
      name: `群 ${randomBytes(3).toString('hex')}`,
      channelId,
      address: `key-${randomBytes(8).toString('hex')}`,
      timezone,
      tags,
    });

  it('chooses active groups by id or by any tag, each once, and names the ids it does not know', async () => {
    const vip = await group(['vip', 'hangzhou'], 'Asia/Tokyo');
    const hz = await group(['hangzhou']);
    const paused = await group(['vip']);
    await groups.pause(paused.id, { reason: 'moving to another robot' });
    const other = await group(['other']);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const { unknownIds, groups: chosen } = await directory.audience([other.id, unknown], ['vip', 'hangzhou']);
    expect(unknownIds).toEqual([unknown]);
    expect(chosen.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [
        { id: vip.id, timezone: 'Asia/Tokyo', channelType: 'wecom' },
        { id: hz.id, timezone: 'Asia/Shanghai', channelType: 'wecom' },
        { id: other.id, timezone: 'Asia/Shanghai', channelType: 'wecom' },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(await directory.audience([], [])).toEqual({ unknownIds: [], groups: [] });
  });

  it('gives the worker each group’s full address and channel settings, many lookups at once', async () => {
    const [a, b] = [await group(['x']), await group(['y'])];
    const targets = await Promise.all([directory.deliveryTarget(a.id), directory.deliveryTarget(b.id)]);
    expect(targets.map((t) => t.target.address.key)).toEqual([
      expect.stringMatching(/^key-[0-9a-f]{16}$/),
      expect.stringMatching(/^key-[0-9a-f]{16}$/),
    ]);
    expect(targets.map((t) => [t.group.id, t.channel.id, t.target.channel.type])).toEqual([
      [a.id, channelId, 'wecom'],
      [b.id, channelId, 'wecom'],
    ]);
    await expect(directory.deliveryTarget('00000000-0000-4000-8000-000000000000')).rejects.toThrow(/group/);
  });

  it('reads a delivery target’s group and channel as the repositories read them', async () => {
    const created = await groups.create({
      name: '杭州宝妈群',
      channelId,
      address: `key-${randomBytes(8).toString('hex')}`,
      timezone: 'Asia/Shanghai',
      tags: ['vip'],
      vars: { persona: '小当家' },
      quietHours: '22:00-08:00',
      blackoutDates: ['2026-12-24'],
    });
    const { group: read, channel } = await directory.deliveryTarget(created.id);
    expect(read).toBeInstanceOf(Group);
    expect(read).toEqual(await ctx.db.getRepository(Group).findOneByOrFail({ id: created.id }));
    expect(channel).toEqual(await ctx.db.getRepository(Channel).findOneByOrFail({ id: channelId }));
    expect(read.vars).toEqual({ persona: '小当家' });
    expect(read.createdAt).toBeInstanceOf(Date);
  });

  it('follows a chat the provider moved, keeping the rest of the address', async () => {
    const moved = await group(['z']);
    const before = (await directory.deliveryTarget(moved.id)).target.address;
    await ctx.get(GroupWriter).moveAddress(moved.id, { chatId: -100123 });
    expect((await ctx.db.query('SELECT address FROM `groups` WHERE id = ?', [moved.id]))[0].address).toEqual({
      ...before,
      chatId: '-100123',
    });
  });
});
