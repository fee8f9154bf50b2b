import { HISTORY_MIGRATIONS } from './migrations/history-migrations.js';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { History } from './history.js';
import { SchemaTooNewError } from '../shared/sqlite-migrations.js';
import { openEncrypted } from './vault/cipher.js';
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
    h.addMessage(msg({ id: 'late-clock', sentAt: 9_999_999, serverTime: 2000 }), { read: false, fromRelay: true });
    h.addMessage(msg({ id: 'pending', outgoing: true, sender: 'me', serverTime: null, state: 'sending' }), { read: true, fromRelay: false });
    h.addMessage(msg({ id: 'early', sentAt: 5, serverTime: 1000 }), { read: false, fromRelay: true });
    h.addMessage(msg({ id: 'third', serverTime: 3000 }), { read: false, fromRelay: true });
    expect(h.messages('bob', 10).map((m) => m.id)).toEqual(['early', 'late-clock', 'third', 'pending']);
    expect(h.messages('bob', 2).map((m) => m.id)).toEqual(['third', 'pending']);
    expect(h.messages('bob', 10, 'third').map((m) => m.id)).toEqual(['early', 'late-clock']);
    h.addMessage(msg({ id: 'pending2', outgoing: true, sender: 'me', serverTime: null, state: 'sending' }), { read: true, fromRelay: false });
    expect(h.messages('bob', 3, 'pending2').map((m) => m.id)).toEqual(['late-clock', 'third', 'pending']);
    h.close();
  });

  it('pages back through equal relay times and unsent messages, each once, in order', () => {
    const h = new History(path.join(tempDir(), 'h.sqlite'), HistoryKey.generate());
    direct(h, 'bob');
    direct(h, 'carol');
    for (let i = 0; i < 40; i++) {
      const pending = i % 9 === 4;
      h.addMessage(msg({ id: `m${i}`, conversationId: i % 5 === 0 ? 'carol' : 'bob', serverTime: pending ? null : Math.floor(i / 4) }), { read: true, fromRelay: true });
    }
    const whole = h.messages('bob', 100).map((m) => m.id);
    const byTime = (id: string) => (['m4', 'm13', 'm22', 'm31'].includes(id) ? Infinity : Math.floor(Number(id.slice(1)) / 4));
    expect(whole).toHaveLength(32);
    expect(whole.map(byTime)).toEqual([...whole.map(byTime)].sort((a, b) => a - b));
    const paged: string[] = [];
    for (let page = h.messages('bob', 3); page.length > 0; page = h.messages('bob', 3, page[0]!.id)) paged.unshift(...page.map((m) => m.id));
    expect(paged).toEqual(whole);
    // Around any message, sent or not: the same run, that message in its middle.
    for (const id of ['m1', 'm4', 'm17', 'm22', 'm39', 'm31']) {
      const around = h.messagesAround('bob', id, 6).map((m) => m.id);
      const at = whole.indexOf(id);
      expect(around, id).toEqual(whole.slice(Math.max(0, at - 3), at + 3));
    }
    expect(h.messagesAround('bob', 'm5', 6)).toEqual([]);
    h.close();
  });

  it('stores a redelivered message once', () => {
    const h = new History(path.join(tempDir(), 'h.sqlite'), HistoryKey.generate());
    direct(h, 'bob');
    direct(h, 'carol');
    expect(h.addMessage(msg({ id: 'x' }), { read: false, fromRelay: true })).toBe(true);
    expect(h.addMessage(msg({ id: 'x', text: 'changed' }), { read: false, fromRelay: true })).toBe(false);
    expect(h.messages('bob', 10)).toHaveLength(1);
    expect(h.message('x')?.text).toBe('x');
    h.close();
  });

  it('moves message state only forward', () => {
    const h = new History(path.join(tempDir(), 'h.sqlite'), HistoryKey.generate());
    direct(h, 'bob');
    direct(h, 'carol');
    h.addMessage(msg({ id: 'o', outgoing: true, serverTime: null, state: 'sending' }), { read: true, fromRelay: false });
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
    h.addMessage(msg({ id: 'a' }), { read: false, fromRelay: true });
    h.addMessage(msg({ id: 'b', serverTime: 2000 }), { read: false, fromRelay: true });
    h.addMessage(msg({ id: 'c', outgoing: true, sender: 'me', serverTime: 3000, state: 'sent' }), { read: true, fromRelay: false });
    h.addMessage(msg({ id: 'd', conversationId: 'carol', sender: 'carol', serverTime: 500 }), { read: false, fromRelay: true });
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

  it("gives the list an event line's group change or timer change, so it can say it in the reader's language", () => {
    const h = new History(path.join(tempDir(), 'h.sqlite'), HistoryKey.generate());
    direct(h, 'bob');
    h.ensureConversation({ id: '#trip', kind: 'group', title: 'Trip', members: ['me', 'bob', 'carol'] }, 0);
    const timerChange = { actor: 'bob', expiresIn: 3600_000 };
    h.addMessage(msg({ id: 't', kind: 'event', text: 'bob set disappearing messages to 1 hour', timerChange }), { read: true, fromRelay: true });
    const event = { action: 'remove' as const, actor: 'me', subjects: ['carol'], name: 'Trip' };
    h.addMessage(msg({ id: 'e', conversationId: '#trip', sender: 'me', outgoing: true, kind: 'event', text: 'me removed carol', event }), { read: true, fromRelay: false });
    expect(h.conversation('bob')?.lastMessage).toEqual({ text: 'bob set disappearing messages to 1 hour', outgoing: false, at: 1000, timerChange });
    expect(h.conversation('#trip')?.lastMessage).toEqual({ text: 'me removed carol', outgoing: true, at: 1000, event });
    // A message someone wrote carries neither.
    h.addMessage(msg({ id: 'x', serverTime: 2000 }), { read: true, fromRelay: true });
    expect(h.conversation('bob')?.lastMessage).toEqual({ text: 'x', outgoing: false, at: 2000 });
    h.close();
  });
});

describe('receive sequence', () => {
  it('lists stored messages after a seq in the order they were stored, not by relay time', () => {
    const h = new History(path.join(tempDir(), 'h.sqlite'), HistoryKey.generate());
    direct(h, 'bob');
    direct(h, 'carol');
    expect(h.lastMessageSeq()).toBe(0);
    expect(h.messagesAfter(0, 10)).toEqual([]);
    h.addMessage(msg({ id: 'late', serverTime: 3000 }), { read: false, fromRelay: true });
    h.addMessage(msg({ id: 'mine', outgoing: true, sender: 'me', serverTime: null, state: 'sending' }), { read: true, fromRelay: false });
    h.addMessage(msg({ id: 'early', conversationId: 'carol', sender: 'carol', serverTime: 1000 }), { read: false, fromRelay: true });
    h.addMessage(msg({ id: 'late', text: 'redelivered' }), { read: false, fromRelay: true });
    const all = h.messagesAfter(0, 10);
    expect(all.map((s) => [s.message.id, s.fromRelay])).toEqual([
      ['late', true],
      ['mine', false],
      ['early', true],
    ]);
    expect(all[0]!.message).toEqual(h.message('late'));
    expect(h.lastMessageSeq()).toBe(all[2]!.seq);
    expect(h.messagesAfter(all[0]!.seq, 1).map((s) => s.message.id)).toEqual(['mine']);
    expect(h.messagesAfter(h.lastMessageSeq(), 10)).toEqual([]);
    h.close();
  });

  it('gives a message stored in place of a deleted placeholder a seq the cursor has not passed', () => {
    const h = new History(path.join(tempDir(), 'h.sqlite'), HistoryKey.generate());
    direct(h, 'bob');
    direct(h, 'carol');
    h.addMessage(msg({ id: 'first' }), { read: false, fromRelay: true });
    h.addMessage(msg({ id: 'x', kind: 'undecryptable', text: '' }), { read: false, fromRelay: true });
    const cursor = h.lastMessageSeq();
    expect(h.removePlaceholder('x')).toBe('bob');
    h.addMessage(msg({ id: 'x', text: 'the real message' }), { read: false, fromRelay: true });
    expect(h.messagesAfter(cursor, 10).map((s) => [s.message.id, s.message.text])).toEqual([['x', 'the real message']]);
    expect(h.lastMessageSeq()).toBe(cursor + 1);
    h.close();
  });
});

describe('schema version', () => {
  it('refuses a history from a newer Warbler in one line naming both versions, and leaves the file as it was', () => {
    const file = path.join(tempDir(), 'history.sqlite');
    const key = HistoryKey.generate();
    const h = new History(file, key);
    direct(h, 'bob');
    h.addMessage(msg({ id: 'kept' }), { read: false, fromRelay: true });
    h.close();
    const newer = openEncrypted(file, key);
    newer.pragma(`user_version = ${HISTORY_MIGRATIONS.length + 2}`);
    newer.close();
    const bytes = fs.readFileSync(file);

    let refusal: unknown;
    try {
      new History(file, key).close();
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(SchemaTooNewError);
    expect((refusal as Error).message).toBe(`${file} is schema ${HISTORY_MIGRATIONS.length + 2}; this Warbler knows up to ${HISTORY_MIGRATIONS.length}: update Warbler`);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    // The folder's lock went with the refusal: the next open is refused for the same reason.
    expect(() => new History(file, key)).toThrow(SchemaTooNewError);
    const after = openEncrypted(file, key);
    expect(after.pragma('user_version', { simple: true })).toBe(HISTORY_MIGRATIONS.length + 2);
    expect(after.prepare('SELECT id FROM messages').pluck().all()).toEqual(['kept']);
    after.close();
  });
});
