import { StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { YIELD_EVERY } from './yielding';

/**
 * A JSON object whose last field is a long list, as text a chunk of items at a time with the event
 * loop free between chunks: serialising thousands of items at once would keep every other request
 * (health checks included) waiting for as long.
 */
export async function* jsonChunks(
  head: Record<string, unknown>,
  listField: string,
  items: readonly unknown[],
): AsyncGenerator<string> {
  const opening = JSON.stringify(head).slice(0, -1);
  yield `${opening}${opening.length > 1 ? ',' : ''}${JSON.stringify(listField)}:[`;
  for (let start = 0; start < items.length; start += YIELD_EVERY) {
    if (start > 0) await setImmediate();
    const chunk = items.slice(start, start + YIELD_EVERY).map((item) => JSON.stringify(item));
    yield `${start > 0 ? ',' : ''}${chunk.join(',')}`;
  }
  yield ']}';
}

/** `jsonChunks` as a response body. */
export function streamedJson(
  head: Record<string, unknown>,
  listField: string,
  items: readonly unknown[],
): StreamableFile {
  return new StreamableFile(Readable.from(jsonChunks(head, listField, items)), {
    type: 'application/json; charset=utf-8',
  });
}
