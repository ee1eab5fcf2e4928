import { setImmediate } from 'node:timers/promises';
import { streamedJson } from './streamed-json';
import { YIELD_EVERY } from './yielding';

async function text(file: ReturnType<typeof streamedJson>): Promise<string> {
  let out = '';
  for await (const chunk of file.getStream()) out += String(chunk);
  return out;
}

describe('streamedJson', () => {
  it.each([0, 1, YIELD_EVERY, YIELD_EVERY + 1, 5 * YIELD_EVERY + 7])(
    'writes the same JSON as one stringify, with %i items in the list',
    async (count) => {
      const items = Array.from({ length: count }, (_, i) => ({ id: i, name: `群 "${i}"`, at: new Date(i * 1000) }));
      const head = { count, created: count, note: 'a\nb' };
      const written = await text(streamedJson(head, 'groups', items));
      expect(written).toBe(JSON.stringify({ ...head, groups: items }));
    },
  );

  it('writes a list alone when there is nothing before it', async () => {
    expect(JSON.parse(await text(streamedJson({}, 'groups', [1, 2])))).toEqual({ groups: [1, 2] });
  });

  it('lets the event loop run between chunks of the list', async () => {
    let turns = 0;
    let reading = true;
    const ticking = (async () => {
      while (reading) {
        await setImmediate();
        turns++;
      }
    })();
    await text(
      streamedJson(
        {},
        'items',
        Array.from({ length: 10 * YIELD_EVERY }, (_, i) => i),
      ),
    );
    reading = false;
    await ticking;
    expect(turns).toBeGreaterThanOrEqual(9);
  });

  it('answers as JSON', () => {
    expect(streamedJson({}, 'items', []).getHeaders().type).toBe('application/json; charset=utf-8');
  });
});
