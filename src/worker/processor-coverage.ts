import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ALL_QUEUES } from '../queues/queue-names';

const PROCESSOR_METADATA = 'bullmq:processor_metadata';

/** Fails the worker's start when a queue has no processor, rather than letting jobs pile up. */
@Injectable()
export class ProcessorCoverage implements OnModuleInit {
  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const covered = new Set(
      this.discovery
        .getProviders()
        .map((wrapper) => wrapper.metatype && Reflect.getMetadata(PROCESSOR_METADATA, wrapper.metatype))
        .filter(Boolean)
        .map((meta: { name: string }) => meta.name),
    );
    const missing = ALL_QUEUES.filter((queue) => !covered.has(queue));
    if (missing.length > 0) {
      throw new Error(`no processor for queue(s): ${missing.join(', ')}`);
    }
  }
}
