import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../common/domain-error';
import { OutgoingMessage } from '../providers/adapter';
import { AdapterRegistry } from '../providers/adapter-registry';
import { SendResult } from '../providers/outcomes';
import { TestSendDto, TestSendResultDto } from './dto/channel.dto';
import { GroupDirectory } from './group-directory.service';
import { GroupWriter } from './group-writer.service';

function describe(result: SendResult): TestSendResultDto {
  switch (result.kind) {
    case 'ok':
      return result.awaitingConfirmation
        ? {
            outcome: 'awaiting_confirmation',
            externalId: result.externalId,
            reason: 'WeCom showed the group’s owner a task: the group gets the message only when they confirm it',
          }
        : { outcome: 'ok', externalId: result.externalId, partsSent: result.partsSent };
    case 'rate':
      return { outcome: 'rate', retryAfterMs: result.retryAfterMs, code: result.code, reason: result.reason };
    case 'transient':
      return { outcome: 'transient', code: result.code, reason: result.reason };
    case 'permanent':
      return { outcome: 'permanent', code: result.code, reason: result.reason };
    case 'ambiguous':
      return { outcome: 'ambiguous', reason: result.reason };
    case 'moved':
      return { outcome: 'moved', reason: result.reason };
  }
}

/** Sends one message to one group now, so an admin can see a channel and an address work. */
@Injectable()
export class ChannelTestService {
  constructor(
    private readonly groups: GroupDirectory,
    private readonly writer: GroupWriter,
    private readonly adapters: AdapterRegistry,
  ) {}

  async testSend(channelId: string, dto: TestSendDto): Promise<TestSendResultDto> {
    const { group, channel, target } = await this.groups.deliveryTarget(dto.groupId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'not_found') {
        throw DomainError.invalid([{ field: 'groupId', message: `no group ${dto.groupId}` }]);
      }
      throw error;
    });
    if (group.channelId !== channelId) {
      throw DomainError.invalid([{ field: 'groupId', message: `group ${group.id} belongs to another channel` }]);
    }
    const adapter = this.adapters.adapter(channel.type);
    if (!adapter) {
      throw DomainError.invalid([
        {
          field: 'channelId',
          message: 'an external channel is consumed outside groupcast; there is nothing to send from here',
        },
      ]);
    }
    const definition = this.adapters.definition(channel.type);
    if (definition.ownerConfirms && dto.ownerTask !== true) {
      const owner = definition.owner ? target.address[definition.owner] : undefined;
      throw DomainError.invalid([
        {
          field: 'ownerTask',
          message: `a test send here is a real mass-message task that ${owner ?? 'the group’s owner'} must confirm in WeCom, and it counts against the group’s monthly receive cap: send ownerTask: true to create it`,
        },
      ]);
    }
    const message: OutgoingMessage = {
      id: `test-${randomUUID()}`,
      title: 'groupcast test',
      text: dto.text,
      markdown: dto.text,
      group: { id: group.id, name: group.name },
    };
    const result = await adapter.send(message, target);
    if (result.kind !== 'moved') return describe(result);
    await this.writer.moveAddress(group.id, result.address);
    const retried = await adapter.send(message, {
      ...target,
      address: { ...target.address, ...(result.address as Record<string, string>) },
    });
    return { ...describe(retried), addressUpdated: true };
  }
}
