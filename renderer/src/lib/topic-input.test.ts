import { describe, expect, it } from 'vitest';
import { relayHttpUrl } from '../../../shared/urls.js';
import { parseTopicInput, publishBase } from './topic-input.js';

const RELAY = 'wss://relay.example.org';

describe('parseTopicInput', () => {
  it('takes a bare name, trimmed', () => {
    expect(parseTopicInput('  backups ', RELAY)).toEqual({ topic: 'backups', host: null });
  });

  it('refuses a name outside the topic pattern', () => {
    expect(parseTopicInput('back ups', RELAY)).toEqual({ problem: 'invalid' });
    expect(parseTopicInput('', RELAY)).toEqual({ problem: 'invalid' });
    expect(parseTopicInput('x'.repeat(65), RELAY)).toEqual({ problem: 'invalid' });
  });

  it("takes this relay's topic URL, whichever scheme names it", () => {
    expect(parseTopicInput('https://relay.example.org/backups', RELAY)).toEqual({ topic: 'backups', host: null });
    expect(parseTopicInput('https://RELAY.example.org:443/backups/', RELAY)).toEqual({ topic: 'backups', host: null });
    expect(parseTopicInput('relay.example.org/backups', RELAY)).toEqual({ topic: 'backups', host: null });
    expect(parseTopicInput('http://127.0.0.1:8080/ops', 'ws://127.0.0.1:8080')).toEqual({ topic: 'ops', host: null });
  });

  it('takes the ntfy stream URLs under a topic', () => {
    for (const suffix of ['json', 'sse', 'ws', 'raw']) {
      expect(parseTopicInput(`https://relay.example.org/alerts/${suffix}?since=all`, RELAY)).toEqual({ topic: 'alerts', host: null });
    }
  });

  it('refuses a URL that names no single topic', () => {
    expect(parseTopicInput('https://relay.example.org/', RELAY)).toEqual({ problem: 'invalid' });
    expect(parseTopicInput('https://relay.example.org/a/b/c', RELAY)).toEqual({ problem: 'invalid' });
    expect(parseTopicInput('https://relay.example.org/alerts/publish', RELAY)).toEqual({ problem: 'invalid' });
    expect(parseTopicInput('https://relay.example.org/al%20erts', RELAY)).toEqual({ problem: 'invalid' });
    expect(parseTopicInput('https://[bad/alerts', RELAY)).toEqual({ problem: 'invalid' });
  });

  it("makes the key of another server's topic from its URL", () => {
    expect(parseTopicInput('https://ntfy.sh/alerts', RELAY)).toEqual({ topic: 'ntfy.sh/alerts', host: 'ntfy.sh' });
    expect(parseTopicInput('ntfy.sh/alerts/json', RELAY)).toEqual({ topic: 'ntfy.sh/alerts', host: 'ntfy.sh' });
    // Another port is another server.
    expect(parseTopicInput('https://relay.example.org:8443/alerts', RELAY)).toEqual({ topic: 'relay.example.org:8443/alerts', host: 'relay.example.org:8443' });
    // A server on this computer may speak plain HTTP.
    expect(parseTopicInput('http://127.0.0.1:2586/ops', RELAY)).toEqual({ topic: '127.0.0.1:2586/ops', host: '127.0.0.1:2586' });
  });

  it("refuses another server's topic over plain HTTP", () => {
    expect(parseTopicInput('http://relay.example.org/alerts', RELAY)).toEqual({ problem: 'insecure', host: 'relay.example.org' });
    expect(parseTopicInput('ftp://ntfy.sh/alerts', RELAY)).toEqual({ problem: 'invalid' });
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
