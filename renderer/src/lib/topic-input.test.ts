import { describe, expect, it } from 'vitest';
import { relayHttpUrl } from '../../../shared/urls.js';
import { parseTopicInput, publishBase } from './topic-input.js';

const RELAY = 'wss://relay.example.org';

describe('parseTopicInput', () => {
  it('takes a bare name, trimmed', () => {
    expect(parseTopicInput('  backups ', RELAY)).toEqual({ topic: 'backups' });
  });

  it('refuses a name outside the topic pattern', () => {
    expect(parseTopicInput('back ups', RELAY)).toEqual({ problem: 'invalid' });
    expect(parseTopicInput('', RELAY)).toEqual({ problem: 'invalid' });
    expect(parseTopicInput('x'.repeat(65), RELAY)).toEqual({ problem: 'invalid' });
  });

  it("takes this relay's topic URL, whichever scheme names it", () => {
    expect(parseTopicInput('https://relay.example.org/backups', RELAY)).toEqual({ topic: 'backups' });
    expect(parseTopicInput('https://RELAY.example.org:443/backups/', RELAY)).toEqual({ topic: 'backups' });
    expect(parseTopicInput('relay.example.org/backups', RELAY)).toEqual({ topic: 'backups' });
    expect(parseTopicInput('http://127.0.0.1:8080/ops', 'ws://127.0.0.1:8080')).toEqual({ topic: 'ops' });
  });

  it('takes the ntfy stream URLs under a topic', () => {
    for (const suffix of ['json', 'sse', 'ws', 'raw']) {
      expect(parseTopicInput(`https://relay.example.org/alerts/${suffix}?since=all`, RELAY)).toEqual({ topic: 'alerts' });
    }
  });

  it('refuses a URL that names no single topic', () => {
    expect(parseTopicInput('https://relay.example.org/', RELAY)).toEqual({ problem: 'invalid' });
    expect(parseTopicInput('https://relay.example.org/a/b/c', RELAY)).toEqual({ problem: 'invalid' });
    expect(parseTopicInput('https://relay.example.org/alerts/publish', RELAY)).toEqual({ problem: 'invalid' });
    expect(parseTopicInput('https://relay.example.org/al%20erts', RELAY)).toEqual({ problem: 'invalid' });
    expect(parseTopicInput('https://[bad/alerts', RELAY)).toEqual({ problem: 'invalid' });
  });

  it('names the other relay of a URL that is not this one', () => {
    expect(parseTopicInput('https://ntfy.sh/alerts', RELAY)).toEqual({ problem: 'otherRelay', host: 'ntfy.sh' });
    // Another port, or plain HTTP where this relay is TLS, is another server.
    expect(parseTopicInput('https://relay.example.org:8443/alerts', RELAY)).toEqual({ problem: 'otherRelay', host: 'relay.example.org:8443' });
    expect(parseTopicInput('http://relay.example.org/alerts', RELAY)).toEqual({ problem: 'otherRelay', host: 'relay.example.org' });
  });
});

describe('publishBase', () => {
  it("is shared/urls.ts's relayHttpUrl", () => {
    for (const url of ['ws://127.0.0.1:8080', 'wss://relay.example.org', 'https://relay.example.org:8443/', 'http://localhost/ws', 'WSS://Relay.Example.org:443']) {
      expect(publishBase(url)).toBe(relayHttpUrl(url));
    }
  });

  it('is null for what is not a relay URL', () => {
    expect(publishBase('ftp://relay.example.org')).toBeNull();
    expect(publishBase('not a url')).toBeNull();
  });
});
