import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PolicyDto } from './dto/policy.dto';
import { PolicySettings } from './policy-settings.entity';
import { SHIPPED_POLICY } from './policy';

const GLOBAL = 'global';
const CACHE_MS = 5000;

@Injectable()
export class PoliciesService {
  private cached?: { at: number; value: PolicySettings };

  constructor(@InjectRepository(PolicySettings) private readonly settings: Repository<PolicySettings>) {}

  /** The global defaults; read at most every five seconds per process. */
  async current(): Promise<PolicySettings> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.value;
    // Until someone sets the global rules, the shipped ones protect every group.
    const value =
      (await this.settings.findOneBy({ id: GLOBAL })) ??
      Object.assign(new PolicySettings(), { id: GLOBAL, ...SHIPPED_POLICY });
    this.cached = { at: Date.now(), value };
    return value;
  }

  async get(): Promise<PolicyDto> {
    const { id: _, ...policy } = await this.current();
    return policy;
  }

  async update(dto: PolicyDto): Promise<PolicyDto> {
    const given = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined));
    // No global blackout dates is an empty list; the column holds a list.
    if (given.blackoutDates === null) given.blackoutDates = [];
    const next = { ...(await this.current()), ...given, id: GLOBAL };
    await this.settings.save(Object.assign(new PolicySettings(), next));
    this.cached = undefined;
    return this.get();
  }
}
