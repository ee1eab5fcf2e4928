/**
 * One example per request body, by its schema's name: what a client would send, valid as it
 * stands (a test sends each one). Ids are placeholders a client replaces with its own.
 */
export const EXAMPLE_IDS = {
  group: '0b7f6f6e-3c2a-4d8e-9a51-2f1c3e4d5a60',
  channel: '6a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  content: '9c8b7a6d-5e4f-4321-8765-43210fedcba9',
  post: '3f2e1d0c-b9a8-4765-9432-10fedcba9876',
};
const { group: GROUP_ID, channel: CHANNEL_ID, content: CONTENT_ID, post: POST_ID } = EXAMPLE_IDS;

const policy = {
  quietHours: '22:00-08:00',
  minGapMinutes: 60,
  dailyCap: 6,
  promoCap: 2,
  blackoutDates: ['2027-02-16'],
};

export const REQUEST_EXAMPLES: Record<string, unknown> = {
  CreateApiKeyDto: { name: '内容编辑 小林', role: 'editor' },
  CreateContentDto: {
    kind: 'morning_brief',
    title: '11 月 23 日早报',
    fields: {
      greeting: '早上好呀～新的一周开始啦',
      headlines: [
        { title: '寒潮来袭，注意保暖' },
        { title: '双十二预售今晚 8 点开启' },
        { title: '本周打卡：每天喝够 8 杯水' },
      ],
    },
    tags: ['早报'],
  },
  UpdateContentDto: { title: '11 月 23 日早报（修订）', version: 1 },
  PublishContentDto: { revision: 1, version: 1 },
  PreviewContentDto: { format: 'markdown', group: { name: '上海宝妈 1 群', timezone: 'Asia/Shanghai' } },
  ChannelPreviewQuery: { groupId: GROUP_ID, channelIds: [CHANNEL_ID] },
  ApplyHolidaysDto: { presets: ['spring_festival_2026', 'double11_2026'], tag: '宝妈' },
  ReschedulePostDto: { dueAt: '2026-11-24T10:00:00+08:00' },
  RescheduleStepDto: { byMinutes: 60 },
  DraftPreviewDto: {
    kind: 'goodnight_poster',
    title: '晚安海报',
    fields: { image: 'https://cdn.example.com/goodnight-1123.jpg', line: '把今天的烦恼都留在今天。' },
    groupId: GROUP_ID,
  },
  CreateChannelDto: { name: '企业微信机器人', type: 'wecom' },
  UpdateChannelDto: { name: '企业微信机器人（总部）' },
  DisableChannelDto: { reason: '机器人 key 更换中' },
  TestSendDto: { groupId: GROUP_ID, text: '测试消息，请忽略' },
  CreateGroupDto: {
    name: '上海宝妈 1 群',
    channelId: CHANNEL_ID,
    address: { key: '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa' },
    timezone: 'Asia/Shanghai',
    tags: ['宝妈', '上海'],
    memberCount: 320,
  },
  BulkImportGroupsDto: {
    mode: 'insert',
    groups: [
      { name: '北京 1 群', channelId: CHANNEL_ID, address: { key: 'robot-key-1' }, timezone: 'Asia/Shanghai' },
      { name: '东京 1 群', channelId: CHANNEL_ID, address: { key: 'robot-key-2' }, timezone: 'Asia/Tokyo' },
    ],
  },
  UpdateGroupDto: { quietHours: '23:00-07:30', tags: ['宝妈', '上海', '高活跃'] },
  PauseGroupDto: { reason: '群主要求暂停一周' },
  CreateCampaignDto: {
    name: '冬季围巾上新',
    objective: '一周内把新品介绍给宝妈群',
    steps: [
      { stage: 'activate', contentId: CONTENT_ID, timing: { day: 0, at: '08:00' } },
      { stage: 'educate', contentId: CONTENT_ID, timing: { day: 1, at: '12:00' } },
      { stage: 'close', contentId: CONTENT_ID, timing: { after: 'PT2H' } },
    ],
  },
  UpdateCampaignDto: { objective: '两周内把新品介绍给宝妈群' },
  LaunchRunDto: { audience: { tags: ['宝妈'] }, startAt: '2027-01-04T00:00:00+08:00', maxLatenessMinutes: 60 },
  ResumeRunDto: { maxLatenessMinutes: 30 },
  ReplacePolicyDto: policy,
  PolicyDto: { quietHours: '22:30-08:00' },
  CreateRoutineDto: {
    name: '每日早报',
    audience: { tags: ['宝妈'] },
    schedule: { every: 'day', at: '08:00' },
    source: { mode: 'current', kind: 'morning_brief' },
  },
  UpdateRoutineDto: { schedule: { every: 'week', at: '20:00', weekdays: [1, 3, 5] } },
  ReportConversionDto: { postId: POST_ID, orderId: 'SO-20261123-0001', amount: 129.9, currency: 'CNY' },
};
