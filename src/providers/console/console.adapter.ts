import { Inject, Injectable, Optional } from '@nestjs/common';
import { ChannelAdapter, defineChannel, OutgoingMessage, SendTarget, WireParts } from '../adapter';
import { addressSchema, configSchema } from '../config-schema';
import { SendResult, Sent } from '../outcomes';

export const CONSOLE = defineChannel({
  type: 'console',
  configSchema: configSchema(),
  addressSchema: addressSchema({ label: { type: 'string', maxLength: 200 } }, []),
  addressShorthand: 'label',
  secretFields: [],
  rateLimits: [],
  dedupes: true,
  pictures: { as: 'a URL printed under the text' },
});

/** Where the console adapter writes; a stream so that it can be read back. */
export const CONSOLE_OUTPUT = Symbol('CONSOLE_OUTPUT');

/** Prints each post readably, for local use and demos. */
@Injectable()
export class ConsoleAdapter implements ChannelAdapter {
  private readonly out: NodeJS.WritableStream;

  constructor(@Optional() @Inject(CONSOLE_OUTPUT) out?: NodeJS.WritableStream) {
    this.out = out ?? process.stdout;
  }

  parts(message: OutgoingMessage): WireParts {
    return [{ type: 'text', text: message.text, pictures: message.images ?? [] }];
  }

  async send(message: OutgoingMessage, target: SendTarget): Promise<SendResult> {
    const heading = [`📣 ${message.group.name}`, target.address.label, message.stage, message.title]
      .filter(Boolean)
      .join(' · ');
    const rule = '─'.repeat(60);
    const pictures = (message.images ?? []).map((url) => `🖼 ${url}\n`).join('');
    this.out.write(`${rule}\n${heading}\n${rule}\n${message.text}\n${pictures}${rule}\n`);
    return new Sent(`console:${message.id}`);
  }
}
