import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, helpText, parseRelayArgs } from './config.js';

describe('relay options', () => {
  it('takes PostgreSQL and Redis for several nodes, from flags or the environment', () => {
    const parsed = parseRelayArgs(['--database', 'postgres://warbler@db.internal/warbler'], { WARBLER_REDIS: 'redis://cache.internal:6379' });
    expect(parsed.help === false && [parsed.config.database, parsed.config.redis]).toEqual([
      'postgres://warbler@db.internal/warbler',
      'redis://cache.internal:6379',
    ]);
    expect(() => parseRelayArgs(['--database', 'postgres://db/warbler'], {})).toThrow(/--database needs --redis/);
    // An administration command writes to the database alone.
    const admin = parseRelayArgs(['--database', 'postgres://db/warbler', 'token', 'add', 'ops'], {});
    expect(admin.help === false && admin.command).toEqual({ name: 'token-add', user: 'ops' });
    expect(() => parseRelayArgs(['--database', 'mysql://db/warbler', '--redis', 'redis://r'], {})).toThrow(/postgres:\/\/warbler@127.0.0.1/);
    expect(() => parseRelayArgs(['--database', 'postgres://db/w', '--redis', 'http://r'], {})).toThrow(/redis:\/\/127.0.0.1:6379/);
  });

  it('takes the queues\' journal for one node alone on its folder, and only there', () => {
    const off = parseRelayArgs([], {});
    expect(off.help === false && off.config.queueJournal).toBe(false);
    const on = parseRelayArgs(['--queue-journal'], {});
    expect(on.help === false && on.config.queueJournal).toBe(true);
    const fromEnv = parseRelayArgs([], { WARBLER_QUEUE_JOURNAL: '1' });
    expect(fromEnv.help === false && fromEnv.config.queueJournal).toBe(true);
    expect(() => parseRelayArgs(['--queue-journal', '--redis', 'redis://r:6379'], {})).toThrow(/--queue-journal is for one node alone/);
  });

  it('takes flags over environment over defaults', () => {
    const parsed = parseRelayArgs(['--port', '9000'], { WARBLER_PORT: '8000', WARBLER_HOST: '0.0.0.0' });
    expect(parsed).toEqual({
      help: false,
      config: {
        port: 9000,
        host: '0.0.0.0',
        data: path.resolve('warbler-data'),
        queueTtlMs: 30 * 86_400_000,
        cacheMs: 12 * 3_600_000,
        visitorBurst: 60,
        visitorRefillMs: 5000,
        visitorSubscriptions: 30,
        registrationsPerHour: 30,
        sendsPerSecond: 20,
        sendsPerDay: 10_000,
        queueMessages: 10_000,
        queueBytes: 100 * 1024 * 1024,
        ephemeralPerSecond: 10,
        authDefaultAccess: 'read-write',
        attachmentMaxBytes: 100 * 1024 * 1024,
        attachmentQuotaBytes: 1024 ** 3,
        pushAttachmentMaxBytes: 15 * 1024 * 1024,
        pushAttachmentTotalBytes: 5 * 1024 ** 3,
        pushAttachmentExpiryMs: 3 * 3_600_000,
        behindProxy: false,
        queueJournal: false,
        trustedProxies: ['127.0.0.1', '::1'],
        logLevel: 'info',
      },
    });
    const cache = parseRelayArgs([], { WARBLER_CACHE_DURATION: '1d' });
    expect(cache.help === false && cache.config.cacheMs).toBe(86_400_000);
    const reset = parseRelayArgs(['reset-account', 'Bob', '--data', 'x'], {});
    expect(reset.help === false && reset.command).toEqual({ name: 'reset-account', username: 'bob' });
    const ttl = parseRelayArgs(['--queue-ttl', '12h'], {});
    expect(ttl.help === false && ttl.config.queueTtlMs).toBe(12 * 3_600_000);
    const budgets = parseRelayArgs(['--sends-per-second', '5', '--queue-bytes', '1M'], { WARBLER_QUEUE_MESSAGES: '50', WARBLER_EPHEMERAL_PER_SECOND: '3' });
    expect(budgets.help === false && budgets.config).toMatchObject({ sendsPerSecond: 5, queueBytes: 1024 * 1024, queueMessages: 50, ephemeralPerSecond: 3 });
    expect(() => parseRelayArgs(['--sends-per-day', '0'], {})).toThrow(/sendsPerDay/);
    const proxied = parseRelayArgs(['--behind-proxy'], { WARBLER_TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8 192.168.1.2' });
    expect(proxied.help === false && proxied.config).toMatchObject({ behindProxy: true, trustedProxies: ['10.0.0.0/8', 'fd00::/8', '192.168.1.2'] });
    const byEnv = parseRelayArgs([], { WARBLER_BEHIND_PROXY: '1' });
    expect(byEnv.help === false && byEnv.config.behindProxy).toBe(true);
    expect(() => parseRelayArgs([], { WARBLER_BEHIND_PROXY: 'maybe' })).toThrow(/behindProxy/);
    expect(() => parseRelayArgs(['--trusted-proxies', 'proxy.example.org'], {})).toThrow(/IP address or a CIDR range/);
    expect(() => parseRelayArgs(['--trusted-proxies', '10.0.0.0/33'], {})).toThrow(/CIDR/);
    const defaults = parseRelayArgs([], {});
    expect(defaults.help === false && defaults.config.port).toBe(DEFAULT_PORT);
  });
  it('explains bad values and unknown flags', () => {
    expect(() => parseRelayArgs(['--port', 'eighty'], {})).toThrow(/port/);
    expect(() => parseRelayArgs(['--port', '70000'], {})).toThrow(/port/);
    expect(() => parseRelayArgs(['--log-level', 'loud'], {})).toThrow(/logLevel/);
    expect(() => parseRelayArgs(['--queue-ttl', 'forever'], {})).toThrow(/queueTtlMs/);
    expect(() => parseRelayArgs(['--queue-ttl', '0d'], {})).toThrow(/queueTtlMs/);
    expect(() => parseRelayArgs(['--bogus'], {})).toThrow(/bogus/);
    expect(() => parseRelayArgs(['reset-account'], {})).toThrow(/usage: reset-account USERNAME/);
    expect(() => parseRelayArgs(['delete-everything'], {})).toThrow(/unknown command/);
    expect(() => parseRelayArgs(['--auth-default-access', 'sometimes'], {})).toThrow(/authDefaultAccess/);
    expect(() => parseRelayArgs(['access', 'phil', 'alerts', 'read-mostly'], {})).toThrow(/permission/);
    const access = parseRelayArgs(['access', 'everyone', 'public*', 'read-only'], {});
    expect(access.help === false && access.command).toEqual({ name: 'access', user: '*', topic: 'public*', permission: 'read-only' });
  });
  it('documents every option and its environment variable', () => {
    expect(parseRelayArgs(['--help'], {})).toEqual({ help: true });
    for (const word of ['--port', '--host', '--data', '--queue-ttl', 'WARBLER_QUEUE_TTL', '--cache-duration', 'WARBLER_CACHE_DURATION', '--log-level', 'WARBLER_PORT', 'WARBLER_HOST', 'WARBLER_DATA']) {
      expect(helpText()).toContain(word);
    }
  });
});
