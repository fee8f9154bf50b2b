// A relay node that cannot reach Redis at start does not start, and says why in one line.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { connectRedis, redactUrl } from './redis.js';

describe('connecting to Redis', () => {
  it('refuses with the reason, and without the password, when nothing answers', async () => {
    // Nothing listens on port 1 of loopback: the connection is refused at once.
    const port = 1;
    await expect(connectRedis(`redis://:s3cret@127.0.0.1:${port}`, 'node-a', 'db', pino({ level: 'silent' }))).rejects.toThrow(
      new RegExp(`^could not reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}: connect ECONNREFUSED`),
    );
    expect(redactUrl('redis://user:pw@host:6379/0')).toBe('redis://user:***@host:6379/0');
  });
});
