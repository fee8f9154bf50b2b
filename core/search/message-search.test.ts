// Search through a real encrypted history: messages written the way the client writes them.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { History } from '../history.js';
import { HistoryKey } from '../vault/history-key.js';
import { tempDir } from '../../tests/helpers.js';
import type { ChatMessage } from '../../shared/ipc.js';
import { AttachmentStore } from '../attachments/attachment-store.js';
import { MessageSearch } from './message-search.js';

let n = 0;
function history(): { h: History; search: MessageSearch } {
  const h = new History(path.join(tempDir(), 'history.sqlite'), HistoryKey.generate());
  for (const peer of ['bob', 'carol']) h.ensureConversation({ id: peer, kind: 'direct', title: peer, members: ['me', peer] }, 0);
  return { h, search: new MessageSearch(h.database) };
}

function write(h: History, conversation: string, text: string, extra: Partial<ChatMessage> = {}): string {
  const id = `m${++n}`;
  h.addMessage(
    {
      id, conversationId: conversation, sender: conversation, outgoing: false, kind: 'text', text, event: null,
      sentAt: n, serverTime: n, state: 'delivered', ...extra,
    },
    { read: false, fromRelay: true },
  );
  return id;
}

const texts = (hits: { text: string }[]) => hits.map((hit) => hit.text).sort();

describe('message search', () => {
  it('finds Chinese words of two characters, and not their characters apart', () => {
    const { h, search } = history();
    write(h, 'bob', '我们明天在北京见面');
    write(h, 'bob', '北方的京剧很好听');
    write(h, 'carol', '北京烤鸭');
    expect(texts(search.search('北京'))).toEqual(['北京烤鸭', '我们明天在北京见面']);
    expect(texts(search.search('京剧'))).toEqual(['北方的京剧很好听']);
    expect(texts(search.search('见'))).toEqual(['我们明天在北京见面']);
    h.close();
  });

  it('finds English by the start of a word, whatever its case and accents', () => {
    const { h, search } = history();
    write(h, 'bob', 'Meet me at the Café Zürich tomorrow');
    write(h, 'bob', 'cafeteria lunch?');
    write(h, 'carol', 'nothing to see');
    expect(texts(search.search('cafe'))).toEqual(['Meet me at the Café Zürich tomorrow', 'cafeteria lunch?']);
    expect(texts(search.search('ZURICH tomor'))).toEqual(['Meet me at the Café Zürich tomorrow']);
    expect(search.search('zurich lunch')).toEqual([]);
    h.close();
  });

  it('finds an emoji, mixed text, and full-width letters', () => {
    const { h, search } = history();
    write(h, 'bob', 'shipped it 🚀🎉');
    write(h, 'bob', '用iPhone拍的照片👍');
    write(h, 'bob', 'ＷＡＲＢＬＥＲ release');
    expect(texts(search.search('🚀'))).toEqual(['shipped it 🚀🎉']);
    expect(texts(search.search('iphone 照片'))).toEqual(['用iPhone拍的照片👍']);
    expect(texts(search.search('👍'))).toEqual(['用iPhone拍的照片👍']);
    expect(texts(search.search('warbler'))).toEqual(['ＷＡＲＢＬＥＲ release']);
    h.close();
  });

  it('filters by conversation and by sender, and says who, where and when', () => {
    const { h, search } = history();
    write(h, 'bob', 'lunch at noon');
    const mine = write(h, 'carol', 'lunch on friday', { sender: 'me', outgoing: true, serverTime: null, state: 'sending' });
    write(h, 'carol', 'lunch was good');
    expect(search.search('lunch')).toHaveLength(3);
    expect(texts(search.search('lunch', { conversation: 'carol' }))).toEqual(['lunch on friday', 'lunch was good']);
    expect(search.search('lunch', { from: 'me' })).toEqual([
      { id: mine, conversation: 'carol', from: 'me', text: 'lunch on friday', sentAt: expect.any(Number), serverTime: null },
    ]);
    expect(search.search('lunch', { limit: 1 })).toHaveLength(1);
    // More results than the newest 1,000 matches, when asked for: all of them, ranked.
    const many = history();
    many.h.database.transaction(() => {
      for (let i = 0; i < 1200; i++) write(many.h, 'bob', `note ${i}`);
    })();
    expect(many.search.search('note', { limit: 1500 })).toHaveLength(1200);
    many.h.close();
    h.close();
  });

  it('filters exactly: a group id with any characters, and a name that starts another', () => {
    const { h, search } = history();
    const group = '#Ab-c_D9xYz0123456789-_';
    h.ensureConversation({ id: group, kind: 'group', title: 'Team', members: ['me', 'bob', 'bobby'] }, 0);
    write(h, group, 'standup moved', { sender: 'bob' });
    write(h, group, 'standup is fine', { sender: 'bobby' });
    write(h, 'bob', 'standup notes');
    expect(texts(search.search('standup', { conversation: group }))).toEqual(['standup is fine', 'standup moved']);
    expect(texts(search.search('standup', { from: 'bob' }))).toEqual(['standup moved', 'standup notes']);
    expect(texts(search.search('standup', { conversation: group, from: 'bobby' }))).toEqual(['standup is fine']);
    expect(search.search('standup', { conversation: '#nothing' })).toEqual([]);
    // A filter alone: everything bobby wrote, newest first; no word and no filter: nothing.
    write(h, group, 'lunch?', { sender: 'bobby' });
    expect(search.search('', { from: 'bobby' }).map((hit) => hit.text)).toEqual(['lunch?', 'standup is fine']);
    expect(search.search('  ')).toEqual([]);
    h.close();
  });

  it('filters to messages with files: alone, with words, in a conversation, from a person', () => {
    const { h, search } = history();
    const files = new AttachmentStore(h.database);
    const pointer = (id: string) => ({
      id, key: 'k'.repeat(43), digest: '0'.repeat(64), size: 10, cipherSize: 51, type: 'image/png', name: 'photo.png', kind: 'image' as const,
    });
    const withFile = (conversation: string, text: string, blob: string) => {
      const id = write(h, conversation, text);
      files.insert(id, [pointer(blob)], false);
      return id;
    };
    withFile('bob', 'the harbour at dusk', 'AAAAAAAAAAAAAAAAAAAAAA');
    write(h, 'bob', 'the harbour was quiet');
    withFile('carol', '', 'BBBBBBBBBBBBBBBBBBBBBB');
    const latest = withFile('carol', '港口的照片', 'CCCCCCCCCCCCCCCCCCCCCC');
    expect(search.search('', { hasAttachment: true }).map((hit) => hit.text)).toEqual(['港口的照片', '', 'the harbour at dusk']);
    expect(texts(search.search('harbour', { hasAttachment: true }))).toEqual(['the harbour at dusk']);
    expect(texts(search.search('harbour'))).toEqual(['the harbour at dusk', 'the harbour was quiet']);
    expect(texts(search.search('', { hasAttachment: true, conversation: 'carol' }))).toEqual(['', '港口的照片']);
    expect(texts(search.search('港口', { hasAttachment: true, from: 'carol' }))).toEqual(['港口的照片']);
    expect(search.search('', { hasAttachment: true, limit: 1 }).map((hit) => hit.id)).toEqual([latest]);
    // Its files gone (deleted for everyone), a message no longer counts.
    h.database.prepare('DELETE FROM attachments WHERE message_id = ?').run(latest);
    expect(texts(search.search('', { hasAttachment: true }))).toEqual(['', 'the harbour at dusk']);
    h.close();
  });

  it('indexes text only: a group line or an undecryptable placeholder is not found, and a removed one leaves the index', () => {
    const { h, search } = history();
    write(h, 'bob', 'bob created the group', { kind: 'event', event: { action: 'create', actor: 'bob', subjects: [], name: 'x' } });
    const placeholder = write(h, 'bob', 'unreadable message', { kind: 'undecryptable' });
    expect(search.search('created')).toEqual([]);
    expect(search.search('unreadable')).toEqual([]);
    expect(h.removePlaceholder(placeholder)).toBe('bob');
    write(h, 'bob', 'readable now');
    expect(texts(search.search('readable'))).toEqual(['readable now']);
    h.close();
  });

  it('keeps what a redelivery would change out of the index', () => {
    const { h, search } = history();
    const id = write(h, 'bob', 'first words');
    h.addMessage(
      { id, conversationId: 'bob', sender: 'bob', outgoing: false, kind: 'text', text: 'other words', event: null, sentAt: 1, serverTime: 1, state: 'delivered' },
      { read: false, fromRelay: true },
    );
    expect(texts(search.search('words'))).toEqual(['first words']);
    expect(search.search('other')).toEqual([]);
    h.close();
  });

  it('ranks a message that holds the words more closely first', () => {
    const { h, search } = history();
    write(h, 'bob', 'tea');
    write(h, 'bob', 'a long message that mentions tea once among many other words about the weekend plans');
    expect(search.search('tea')[0]!.text).toBe('tea');
    h.close();
  });

  it('finds a Chinese word among 100,000 messages whose other words hold its characters apart', () => {
    const { h, search } = history();
    const filler = ['城市很大', '这条路很长', '长江', '城墙', '我们明天见', 'see you in the city'];
    const planted: string[] = [];
    const db = h.database;
    db.transaction(() => {
      for (let i = 0; i < 100_000; i++) {
        const text = i % 1000 === 999 ? `第${i}次去长城` : `${filler[i % filler.length]} ${i}`;
        const id = write(h, i % 2 === 0 ? 'bob' : 'carol', text);
        if (text.includes('长城')) planted.push(id);
      }
    })();
    const found = search.search('长城', { limit: 200 });
    expect(found.map((hit) => hit.id).sort()).toEqual(planted.sort());
    expect(found).toHaveLength(100);
    expect(search.search('长城', { conversation: 'carol', limit: 200 })).toHaveLength(100);
    expect(search.search('长城', { conversation: 'bob', limit: 200 })).toEqual([]);
    h.close();
  });
});
