import { Injectable } from '@nestjs/common';
import { ChannelAdapter, OutgoingMessage, SendTarget } from '../adapter';
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

  async send(message: OutgoingMessage, target: SendTarget): Promise<SendResult> {
    const created = await this.api.addMsgTemplate(target, {
      chat_type: 'group',
      sender: target.address.sender,
      chat_id_list: [target.address.chatId],
      text: { content: message.text },
      attachments: (message.images ?? [])
        .slice(0, MAX_ATTACHMENTS)
        .map((url) => ({ msgtype: 'image', image: { pic_url: url } })),
    });
    if ('kind' in created) return created;
    return new Sent(created.msgid, 1, true);
  }
}
