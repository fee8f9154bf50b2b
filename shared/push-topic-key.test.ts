import { describe, expect, it } from 'vitest';
import { remoteTopic, remoteTopicKey, TOPIC_KEY_PATTERN } from './push-topic-key.js';

describe('push topic keys', () => {
  it('names a topic of this relay by its name alone', () => {
    expect(TOPIC_KEY_PATTERN.test('ops-alerts')).toBe(true);
    expect(remoteTopic('ops-alerts')).toBeNull();
  });

  it("names another server's topic by host and name, reached over https", () => {
    expect(remoteTopic('ntfy.sh/alerts')).toEqual({ host: 'ntfy.sh', name: 'alerts', url: 'https://ntfy.sh/alerts' });
    expect(remoteTopic('push.example.org:8443/ci_builds')?.url).toBe('https://push.example.org:8443/ci_builds');
  });

  it('reaches a loopback server over plain http', () => {
    expect(remoteTopic('127.0.0.1:8080/ops')?.url).toBe('http://127.0.0.1:8080/ops');
    expect(remoteTopic('localhost:2586/ops')?.url).toBe('http://localhost:2586/ops');
    expect(remoteTopic('[::1]:2586/ops')?.url).toBe('http://[::1]:2586/ops');
  });

  it('refuses what is not a host and a topic name', () => {
    for (const key of ['', 'a/b/c', 'ntfy.sh/', '/alerts', 'ntfy.sh/al erts', 'user@ntfy.sh/alerts', 'NTFY.sh/alerts', 'ntfy.sh:99999999/x', `ntfy.sh/${'x'.repeat(65)}`]) {
      expect(TOPIC_KEY_PATTERN.test(key), key).toBe(false);
    }
  });

  it('makes a key from a URL host, lower-cased', () => {
    expect(remoteTopicKey('Ntfy.SH', 'alerts')).toBe('ntfy.sh/alerts');
    expect(remoteTopicKey('ntfy.sh', 'bad name')).toBeNull();
  });
});
