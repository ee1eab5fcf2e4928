import { Remembered } from './remembered';

describe('Remembered', () => {
  let now: number;
  let loads: number;
  let fail: boolean;
  const remembered = () =>
    new Remembered(
      2000,
      async () => {
        loads += 1;
        if (fail) throw new Error('down');
        return loads;
      },
      () => now,
    );

  beforeEach(() => {
    now = 0;
    loads = 0;
    fail = false;
  });

  it('loads once for everyone who asks within the time to live, and again after it', async () => {
    const value = remembered();
    expect(await Promise.all([value.get(), value.get()])).toEqual([1, 1]);
    now = 1999;
    expect(await value.get()).toBe(1);
    now = 2000;
    expect(await value.get()).toBe(2);
  });

  it('loads again at once after forget', async () => {
    const value = remembered();
    await value.get();
    value.forget();
    expect(await value.get()).toBe(2);
  });

  it('does not keep a failed load', async () => {
    const value = remembered();
    fail = true;
    await expect(value.get()).rejects.toThrow('down');
    fail = false;
    expect(await value.get()).toBe(2);
  });
});
