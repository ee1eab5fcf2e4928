import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { POLICY_FIELDS, PolicyDto, ReplacePolicyDto } from './dto/policy.dto';
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

  /** The whole policy as given: a field left out is a 400, not kept (that is what PATCH does). */
  async replace(dto: ReplacePolicyDto): Promise<PolicyDto> {
    const missing = POLICY_FIELDS.filter((field) => dto[field] === undefined);
    if (missing.length > 0) {
      throw DomainError.invalid(
        missing.map((field) => ({
          field,
          message: 'is required: PUT replaces the whole policy (null for none); PATCH changes only the fields it names',
        })),
      );
    }
    return this.save(dto);
  }

  /** The fields given; the others stay as they are. */
  async update(dto: PolicyDto): Promise<PolicyDto> {
    const given = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined));
    return this.save({ ...(await this.current()), ...given });
  }

  private async save(policy: PolicyDto): Promise<PolicyDto> {
    // No global blackout dates is an empty list; the column holds a list.
    const next = { ...policy, blackoutDates: policy.blackoutDates ?? [], id: GLOBAL };
    await this.settings.save(Object.assign(new PolicySettings(), next));
    this.cached = undefined;
    return this.get();
  }
}
