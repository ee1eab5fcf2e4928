import { canonicalTimezone } from './timezones';

describe('canonicalTimezone', () => {
  it.each([
    ['asia/shanghai', 'Asia/Shanghai'],
    ['Asia/Kathmandu', 'Asia/Kathmandu'],
    ['Asia/Katmandu', 'Asia/Kathmandu'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['Asia/Ho_Chi_Minh', 'Asia/Ho_Chi_Minh'],
    ['US/Eastern', 'America/New_York'],
    ['America/Detroit', 'America/Detroit'],
    ['etc/utc', 'UTC'],
    ['Etc/GMT+12', 'Etc/GMT+12'],
    ['Mars/Olympus_Mons', 'Mars/Olympus_Mons'],
  ])('spells %s as %s', (given, spelled) => {
    expect(canonicalTimezone(given)).toBe(spelled);
  });
});
