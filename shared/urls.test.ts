import { describe, expect, it } from 'vitest';
import { hostHeaderOrigin, loginOrigin } from './urls.js';

describe('the origin a login is bound to', () => {
  it('is the URL’s host, lower-cased, without the scheme’s default port', () => {
    expect(loginOrigin('ws://127.0.0.1:7878/v1/ws')).toBe('127.0.0.1:7878');
    expect(loginOrigin('wss://Relay.Example.ORG/v1/ws')).toBe('relay.example.org');
    expect(loginOrigin('wss://relay.example.org:443/v1/ws')).toBe('relay.example.org');
    expect(loginOrigin('https://relay.example.org:443')).toBe('relay.example.org');
    expect(loginOrigin('ws://relay.example.org:80/v1/ws')).toBe('relay.example.org');
    expect(loginOrigin('http://relay.example.org:80/push')).toBe('relay.example.org');
    // Another scheme's default port is a port like any other.
    expect(loginOrigin('wss://relay.example.org:80/v1/ws')).toBe('relay.example.org:80');
    expect(loginOrigin('ws://relay.example.org:443/v1/ws')).toBe('relay.example.org:443');
    expect(loginOrigin('wss://relay.example.org:8443/v1/ws')).toBe('relay.example.org:8443');
    expect(loginOrigin('ws://[::1]:7878/v1/ws')).toBe('[::1]:7878');
    expect(loginOrigin('wss://bücher.example/v1/ws')).toBe('xn--bcher-kva.example');
  });

  it('reads a Host header the same way the client reads its URL', () => {
    expect(hostHeaderOrigin('127.0.0.1:7878', false)).toBe(loginOrigin('ws://127.0.0.1:7878/v1/ws'));
    expect(hostHeaderOrigin('Relay.Example.org', false)).toBe('relay.example.org');
    expect(hostHeaderOrigin('relay.example.org:80', false)).toBe('relay.example.org');
    expect(hostHeaderOrigin('relay.example.org:443', true)).toBe('relay.example.org');
    expect(hostHeaderOrigin('relay.example.org:443', false)).toBe('relay.example.org:443');
    expect(hostHeaderOrigin('[::1]:7878', false)).toBe('[::1]:7878');
  });

  it('has none for a missing Host header or one that is more than host and port', () => {
    for (const bad of [undefined, '', 'relay.example.org/path', 'user@relay.example.org', 'relay.example.org?x', 'a b', 'relay.example.org:99999', '[::1']) {
      expect(hostHeaderOrigin(bad, false), String(bad)).toBeUndefined();
    }
  });
});
