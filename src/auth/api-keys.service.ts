import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainError } from '../common/domain-error';
import { ApiKey } from './api-key.entity';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { Principal } from './roles';

export const BOOTSTRAP_ADMIN_KEY_ID = 'bootstrap-admin';
const KEY_PREFIX_LENGTH = 12;
/** How long another process may still accept a key revoked elsewhere. */
export const KEY_CACHE_TTL_MS = 10_000;
const UNKNOWN_KEY_CACHE_TTL_MS = 5_000;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function toDto(key: ApiKey): ApiKeyDto {
  return { id: key.id, name: key.name, role: key.role, keyPrefix: key.keyPrefix, createdAt: key.createdAt };
}

@Injectable()
export class ApiKeysService {
  private readonly adminKeyHash?: Buffer;
  private readonly known = new LRUCache<string, Principal>({ max: 10_000, ttl: KEY_CACHE_TTL_MS });
  /** Keys just found unknown: a burst of guesses costs one lookup each, not one per request. */
  private readonly unknown = new LRUCache<string, true>({ max: 10_000, ttl: UNKNOWN_KEY_CACHE_TTL_MS });

  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.adminKeyHash = config.adminApiKey ? Buffer.from(hashApiKey(config.adminApiKey), 'hex') : undefined;
  }

  /** The key's principal; with `cachedOnly`, only from what this process already knows (no database lookup). */
  async authenticate(presentedKey: string, cachedOnly = false): Promise<Principal | undefined> {
    const hash = hashApiKey(presentedKey);
    if (this.adminKeyHash && timingSafeEqual(this.adminKeyHash, Buffer.from(hash, 'hex'))) {
      return { keyId: BOOTSTRAP_ADMIN_KEY_ID, role: 'admin' };
    }
    const cached = this.known.get(hash);
    if (cached) return cached;
    if (cachedOnly || this.unknown.has(hash)) return undefined;
    const key = await this.keys.findOne({ where: { keyHash: hash }, select: ['id', 'role'] });
    if (!key) {
      this.unknown.set(hash, true);
      return undefined;
    }
    const principal: Principal = { keyId: key.id, role: key.role };
    this.known.set(hash, principal);
    return principal;
  }

  async create(dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const secret = `gck_${randomBytes(32).toString('base64url')}`;
    const key = await this.keys.save(
      this.keys.create({
        name: dto.name,
        role: dto.role,
        keyHash: hashApiKey(secret),
        keyPrefix: secret.slice(0, KEY_PREFIX_LENGTH),
      }),
    );
    return { ...toDto(key), key: secret };
  }

  async list(): Promise<ApiKeyDto[]> {
    const keys = await this.keys.find({ order: { createdAt: 'ASC' } });
    return keys.map(toDto);
  }

  async remove(id: string): Promise<void> {
    const result = await this.keys.delete({ id });
    if (!result.affected) throw DomainError.notFound('api key', id);
    for (const [hash, principal] of this.known.entries()) {
      if (principal.keyId === id) this.known.delete(hash);
    }
  }
}
