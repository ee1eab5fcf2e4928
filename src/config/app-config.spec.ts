import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('defaults to the local services and the all role', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      role: 'all',
      port: 3000,
      databaseUrl: 'mysql://root@127.0.0.1:3306/groupcast',
      redisUrl: 'redis://127.0.0.1:6379',
      allowPrivateTargets: false,
      logLevel: 'info',
    });
    expect(config.adminApiKey).toBeUndefined();
  });

  it('reads every variable it knows', () => {
    const config = loadConfig({
      ROLE: 'worker',
      PORT: '8080',
      DATABASE_URL: 'mysql://u:p@db:3306/gc',
      REDIS_URL: 'redis://cache:6380/2',
      ADMIN_API_KEY: 'a-long-enough-admin-key',
      LOG_LEVEL: 'debug',
      ALLOW_PRIVATE_TARGETS: 'true',
      TZ_DEFAULT: 'America/New_York',
    });
    expect(config).toMatchObject({
      role: 'worker',
      port: 8080,
      databaseUrl: 'mysql://u:p@db:3306/gc',
      redisUrl: 'redis://cache:6380/2',
      adminApiKey: 'a-long-enough-admin-key',
      logLevel: 'debug',
      allowPrivateTargets: true,
      tzDefault: 'America/New_York',
    });
  });

  it.each([
    ['ROLE', 'scheduler'],
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'postgres://localhost/x'],
    ['REDIS_URL', 'not a url'],
    ['REDIS_CLUSTER_NODES', 'cache-1'],
    ['REDIS_CLUSTER_NODES', 'cache-1:6379,cache-2:70000'],
    ['REDIS_CLUSTER_NODES', ' , '],
    ['ADMIN_API_KEY', 'short'],
    ['LOG_LEVEL', 'loud'],
    ['ALLOW_PRIVATE_TARGETS', 'yes please'],
    ['TZ_DEFAULT', 'Mars/Olympus'],
  ])('refuses %s=%s and names the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });

  it('reads a Redis Cluster as its seed nodes', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, cache-2:7001,[::1]:7002' }).redisClusterNodes).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'cache-2', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(loadConfig({}).redisClusterNodes).toBeUndefined();
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ ROLE: 'x', PORT: 'y' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['PORT', 'ROLE']);
    }
  });

  it('takes a public base URL for short links only with a signing key, and the other way round', () => {
    const key = 'a-signing-key-of-at-least-32-characters';
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://go.example.com/', LINK_SIGNING_KEY: key })).toMatchObject({
      publicBaseUrl: 'https://go.example.com',
      linkSigningKey: key,
    });
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'https://go.example.com' })).toThrow(/LINK_SIGNING_KEY: must be set/);
    expect(() => loadConfig({ LINK_SIGNING_KEY: key })).toThrow(/PUBLIC_BASE_URL: must be set/);
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'https://go.example.com', LINK_SIGNING_KEY: 'short' })).toThrow(
      /LINK_SIGNING_KEY: must be at least 32/,
    );
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'ftp://go.example.com', LINK_SIGNING_KEY: key })).toThrow(
      /PUBLIC_BASE_URL:/,
    );
  });

  it('believes no proxy unless told which', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(() => loadConfig({ TRUST_PROXY: 'any proxy!' })).toThrow(/TRUST_PROXY:/);
  });

  it('refuses to start in production without keys for secrets at rest, and says how to make one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SECRETS_KEYS: required when NODE_ENV=production.*randomBytes\(32\)/,
    );
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(
      loadConfig({ NODE_ENV: 'production', SECRETS_KEYS: `k2:${key}, k1:${key}` }).secretsKeys?.map((k) => k.id),
    ).toEqual(['k2', 'k1']);
    expect(() => loadConfig({ SECRETS_KEYS: 'k1:c2hvcnQ=' })).toThrow(/SECRETS_KEYS: must be keys/);
    expect(() => loadConfig({ SECRETS_KEYS: `k1:${key},k1:${key}` })).toThrow(/SECRETS_KEYS: names a key id twice/);
  });
});
