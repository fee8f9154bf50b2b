import { describe, expect, it } from 'vitest';
import { ClientFrame, ServerFrame, Username } from './protocol.js';
import { relayHttpUrl, relaySocketUrl } from './urls.js';
import { ServerUrl } from './ipc.js';

describe('usernames', () => {
  it('are case-insensitive: stored lowercase', () => {
    expect(Username.parse('  Alice ')).toBe('alice');
    expect(Username.parse('bob.smith_2')).toBe('bob.smith_2');
  });
  it.each(['a', '1alice', 'al ice', 'x'.repeat(33), 'ali/ce', '', 'élise'])('refuses %j', (name) => {
    expect(Username.safeParse(name).success).toBe(false);
  });
});

describe('frames', () => {
  it('refuses unknown types and extra-long ids', () => {
    expect(ClientFrame.safeParse({ type: 'nope', id: '1' }).success).toBe(false);
    expect(ClientFrame.safeParse({ type: 'ping', id: 'x'.repeat(65) }).success).toBe(false);
    expect(ClientFrame.safeParse({ type: 'ping', id: '1' }).success).toBe(true);
  });
  it('refuses acks that are not positive integers', () => {
    expect(ClientFrame.safeParse({ type: 'ack', id: '1', seqs: [0] }).success).toBe(false);
    expect(ClientFrame.safeParse({ type: 'ack', id: '1', seqs: [1.5] }).success).toBe(false);
    expect(ClientFrame.safeParse({ type: 'ack', id: '1', seqs: [] }).success).toBe(false);
  });
  it('parses the relay’s envelopes of both kinds', () => {
    const from = { username: 'alice', device: 'A'.repeat(43) };
    expect(ServerFrame.safeParse({ type: 'envelope', kind: 'delivered', seq: 3, messageId: 'M'.repeat(22), from, serverTime: 1 }).success).toBe(true);
    expect(ServerFrame.safeParse({ type: 'envelope', kind: 'message', seq: 3, messageId: 'M'.repeat(22), from, serverTime: 1 }).success).toBe(false);
  });
});

describe('server URLs', () => {
  it('maps what a person types to the socket and HTTP endpoints', () => {
    expect(relaySocketUrl('http://127.0.0.1:7878')).toBe('ws://127.0.0.1:7878/v1/ws');
    expect(relaySocketUrl('https://chat.example.org/some/path?q=1')).toBe('wss://chat.example.org/v1/ws');
    expect(relaySocketUrl('ws://localhost:9000/')).toBe('ws://localhost:9000/v1/ws');
    expect(relayHttpUrl('wss://chat.example.org')).toBe('https://chat.example.org');
    expect(() => relaySocketUrl('ftp://x')).toThrow(/unsupported/);
  });
});

describe('relay URLs a person may enter', () => {
  it('require TLS unless the relay is on this machine', () => {
    expect(ServerUrl.safeParse('https://chat.example.org').success).toBe(true);
    expect(ServerUrl.safeParse('wss://chat.example.org:8443').success).toBe(true);
    expect(ServerUrl.safeParse('http://127.0.0.1:7878').success).toBe(true);
    expect(ServerUrl.safeParse('ws://localhost:7878').success).toBe(true);
    expect(ServerUrl.safeParse('http://[::1]:7878').success).toBe(true);
    expect(ServerUrl.safeParse('http://chat.example.org').success).toBe(false);
    expect(ServerUrl.safeParse('ftp://127.0.0.1').success).toBe(false);
    expect(ServerUrl.safeParse('not a url').success).toBe(false);
  });
});
