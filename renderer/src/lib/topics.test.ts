import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PushTopic } from '../../../shared/ipc.js';
import { TOPIC_PATTERN as RELAY_PATTERN } from '../../../shared/push.js';
import { normalizeTopic, TOPIC_PATTERN } from './topics.js';

describe('push topic names', () => {
  it('uses the pattern of the contract and of the relay', () => {
    expect(TOPIC_PATTERN.source).toBe(RELAY_PATTERN.source);
    expect(TOPIC_PATTERN.flags).toBe(RELAY_PATTERN.flags);
    fc.assert(
      // A name without a slash: with one, it is the key of another server's topic (push-topic-key.test.ts).
      fc.property(fc.oneof(fc.string({ maxLength: 70 }).filter((s) => !s.includes('/')), fc.stringMatching(/^[-_A-Za-z0-9]{0,66}$/)), (name) => {
        expect(TOPIC_PATTERN.test(name)).toBe(PushTopic.safeParse(name).success);
      }),
    );
  });

  it('trims what was typed and refuses what the relay would', () => {
    expect(normalizeTopic('  ops-alerts ')).toBe('ops-alerts');
    expect(normalizeTopic('a'.repeat(64))).toBe('a'.repeat(64));
    for (const bad of ['', '   ', 'a'.repeat(65), 'ops alerts', 'ops/alerts', 'öps', '../x']) {
      expect(normalizeTopic(bad)).toBeNull();
    }
  });
});
