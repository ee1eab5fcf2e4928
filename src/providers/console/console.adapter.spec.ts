import { PassThrough } from 'node:stream';
import { message, target } from '../../../test/support/adapter-kit';
import { ConsoleAdapter } from './console.adapter';

describe('ConsoleAdapter', () => {
  it('prints the group, stage, title and text', async () => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const post = message();
    const result = await new ConsoleAdapter(out).send(post, target('console', { label: 'demo' }));
    expect(result).toMatchObject({ kind: 'ok', externalId: `console:${post.id}` });
    expect(printed).toContain('📣 杭州宝妈群 · demo · activate · 周一早报');
    expect(printed).toContain('早上好，今天降温，记得加衣。');
  });
});
