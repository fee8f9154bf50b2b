import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { History } from './history.js';
import { HistoryKey } from './vault/history-key.js';
import { tempDir } from '../tests/helpers.js';
import type { ChatMessage } from '../shared/ipc.js';

const msg = (over: Partial<ChatMessage> & { id: string }): ChatMessage => ({
  conversationId: 'bob',
  sender: 'bob',
  outgoing: false,
  text: over.id,
  sentAt: 1000,
  serverTime: 1000,
  state: 'delivered',
  kind: 'text',
  event: null,
  ...over,
});

const direct = (h: History, peer: string) =>
  h.ensureConversation({ id: peer, kind: 'direct', title: peer, members: ['me', peer] }, 0);

describe('local history', () => {
  it('orders by relay time, never the sender clock; unsent messages last', () => {
    const h = new History(path.join(tempDir(), 'h.sqlite'), HistoryKey.generate());
    direct(h, 'bob');
    direct(h, 'carol');
    h.addMessage(msg({ id: 'late-clock', sentAt: 9_999_999, serverTime: 2000 }), { read: false });
    h.addMessage(msg({ id: 'pending', outgoing: true, sender: 'me', serverTime: null, state: 'sending' }), { read: true });
    h.addMessage(msg({ id: 'early', sentAt: 5, serverTime: 1000 }), { read: false });
    h.addMessage(msg({ id: 'third', serverTime: 3000 }), { read: false });
    expect(h.messages('bob', 10).map((m) => m.id)).toEqual(['early', 'late-clock', 'third', 'pending']);
    expect(h.messages('bob', 2).map((m) => m.id)).toEqual(['third', 'pending']);
    expect(h.messages('bob', 10, 'third').map((m) => m.id)).toEqual(['early', 'late-clock']);
    h.addMessage(msg({ id: 'pending2', outgoing: true, sender: 'me', serverTime: null, state: 'sending' }), { read: true });
    expect(h.messages('bob', 3, 'pending2').map((m) => m.id)).toEqual(['late-clock', 'third', 'pending']);
    h.close();
  });

  it('stores a redelivered message once', () => {
    const h = new History(path.join(tempDir(), 'h.sqlite'), HistoryKey.generate());
    direct(h, 'bob');
    direct(h, 'carol');
    expect(h.addMessage(msg({ id: 'x' }), { read: false })).toBe(true);
    expect(h.addMessage(msg({ id: 'x', text: 'changed' }), { read: false })).toBe(false);
    expect(h.messages('bob', 10)).toHaveLength(1);
    expect(h.message('x')?.text).toBe('x');
    h.close();
  });

  it('moves message state only forward', () => {
    const h = new History(path.join(tempDir(), 'h.sqlite'), HistoryKey.generate());
    direct(h, 'bob');
    direct(h, 'carol');
    h.addMessage(msg({ id: 'o', outgoing: true, serverTime: null, state: 'sending' }), { read: true });
    expect(h.advance('o', 'delivered')?.state).toBe('delivered');
    expect(h.markSent('o', 5000)).toMatchObject({ state: 'delivered', serverTime: 5000 });
    expect(h.advance('o', 'sent')).toBeUndefined();
    expect(h.markFailed('o')).toBeUndefined();
    h.close();
  });

  it('counts unread incoming messages per conversation and survives reopening', () => {
    const file = path.join(tempDir(), 'h.sqlite');
    const key = HistoryKey.generate();
    const h = new History(file, key);
    direct(h, 'bob');
    direct(h, 'carol');
    h.addMessage(msg({ id: 'a' }), { read: false });
    h.addMessage(msg({ id: 'b', serverTime: 2000 }), { read: false });
    h.addMessage(msg({ id: 'c', outgoing: true, sender: 'me', serverTime: 3000, state: 'sent' }), { read: true });
    h.addMessage(msg({ id: 'd', conversationId: 'carol', sender: 'carol', serverTime: 500 }), { read: false });
    expect(h.conversations().map((c) => [c.id, c.unread, c.lastMessage?.text])).toEqual([
      ['bob', 2, 'c'],
      ['carol', 1, 'd'],
    ]);
    h.markRead('bob');
    h.close();
    const again = new History(file, key);
    expect(again.conversation('bob')).toMatchObject({ unread: 0, lastMessage: { text: 'c', outgoing: true } });
    expect(again.outboxHead()).toBeUndefined();
    again.close();
  });
});
