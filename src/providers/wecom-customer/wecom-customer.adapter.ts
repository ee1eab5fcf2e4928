import { Injectable } from '@nestjs/common';
import { ChannelAdapter, OutgoingMessage, SendTarget, WirePart, WireParts } from '../adapter';
import { SendResult, Sent } from '../outcomes';
import { WecomCustomerApi } from './wecom-customer-api';

/** WeCom takes up to 9 attachments with a mass message. */
const MAX_ATTACHMENTS = 9;

/**
 * A mass message to one customer group, created for its owner (`sender`) to confirm: the post
 * then awaits confirmation, and the worker's reconciler reads back when it went out.
 */
@Injectable()
export class WecomCustomerAdapter implements ChannelAdapter {
  constructor(private readonly api: WecomCustomerApi) {}

  /** One mass message: the text with the pictures (and a link card) attached. */
  parts(message: OutgoingMessage): WireParts {
    return [
      {
        type: 'add_msg_template',
        text: message.text,
        pictures: (message.images ?? []).slice(0, MAX_ATTACHMENTS - (message.link ? 1 : 0)),
        ...(message.link ? { url: message.link } : {}),
      },
    ];
  }

  send(message: OutgoingMessage, target: SendTarget): Promise<SendResult> {
    return this.sendTogether(message, [target]);
  }

  /** One mass message to customer groups of one owner (the first target's), as operators send them. */
  async sendTogether(message: OutgoingMessage, targets: SendTarget[]): Promise<SendResult> {
    const [target] = targets;
    const [part] = this.parts(message) as WirePart[];
    const images = part.pictures ?? [];
    const link = part.url
      ? [
          {
            msgtype: 'link',
            link: { title: message.title, url: part.url, ...(images[0] ? { picurl: images[0] } : {}) },
          },
        ]
      : [];
    const created = await this.api.addMsgTemplate(target, {
      chat_type: 'group',
      sender: target.address.sender,
      chat_id_list: targets.map((t) => t.address.chatId),
      text: { content: part.text },
      attachments: [...images.map((url) => ({ msgtype: 'image', image: { pic_url: url } })), ...link],
    });
    if ('kind' in created) return created;
    return new Sent(created.msgid, 1, true);
  }
}
