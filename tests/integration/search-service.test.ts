// Search over IPC, as the page uses it, on the client service over a real relay: messages received
// are found, a result opens at the page around it, and a malformed request is refused.
import { describe, expect, it } from 'vitest';
import { httpUrl, onlineService, relayIn, tempDir, useCleanups, waitFor } from '../helpers.js';

const cleanups = useCleanups();

const service = (dir: string, serverUrl: string, username: string) => onlineService(cleanups, dir, serverUrl, username);

describe('search over IPC', () => {
  it('finds received messages, filters by conversation, and opens a result at the page around it', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const url = httpUrl(relay);
    const alice = await service(dir, url, 'alice');
    const bob = await service(dir, url, 'bob');
    const carol = await service(dir, url, 'carol');
    await alice.s.call('conversations:open', { username: 'bob' });
    await carol.s.call('conversations:open', { username: 'bob' });
    const texts = Array.from({ length: 30 }, (_, i) => (i === 12 ? '周末去长城吗 #12' : `message number ${i}`));
    for (const text of texts) await alice.s.call('messages:send', { conversationId: 'bob', text });
    await carol.s.call('messages:send', { conversationId: 'bob', text: 'carol asks: 长城 or the sea?' });
    await waitFor(async () => (await bob.s.call('messages:list', { conversationId: 'alice', limit: 100 })).length === 30, 20_000, 'bob has all 30');
    await waitFor(async () => (await bob.s.call('messages:list', { conversationId: 'carol' })).length === 1, 20_000, "bob has carol's");

    const greatWall = await bob.s.call('messages:search', { query: ' 长城 ' });
    expect(greatWall.map((hit) => [hit.conversation, hit.from]).sort()).toEqual([
      ['alice', 'alice'],
      ['carol', 'carol'],
    ]);
    const fromAlice = await bob.s.call('messages:search', { query: '长城', conversationId: 'alice' });
    expect(fromAlice).toEqual([expect.objectContaining({ conversation: 'alice', from: 'alice', text: '周末去长城吗 #12' })]);
    expect(await bob.s.call('messages:search', { query: 'number', limit: 5 })).toHaveLength(5);
    // What one person wrote, with words or without: newest first.
    expect((await bob.s.call('messages:search', { query: '长城', from: 'carol' })).map((hit) => hit.from)).toEqual(['carol']);
    expect((await bob.s.call('messages:search', { query: '', from: 'alice', limit: 3 })).map((hit) => hit.text)).toEqual(texts.slice(27).reverse());

    // Opened: the page has the result in its middle, in the conversation's order.
    const page = await bob.s.call('messages:list', { conversationId: 'alice', around: fromAlice[0]!.id, limit: 10 });
    expect(page.map((m) => m.text)).toEqual(texts.slice(7, 17));
    expect(await bob.s.call('messages:list', { conversationId: 'carol', around: fromAlice[0]!.id })).toEqual([]);

    await expect(bob.s.call('messages:search', { query: '   ' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(bob.s.call('messages:search', { query: '' })).rejects.toThrow(/type something to search for/);
    await expect(bob.s.call('messages:search', { query: 'x', from: 'Not A Name' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(bob.s.call('messages:search', { query: 'x'.repeat(201) })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(bob.s.call('messages:list', { conversationId: 'alice', before: 'a', around: 'b' })).rejects.toThrow(/before one, or around one/);
    // And the service goes on answering.
    expect(await bob.s.call('messages:search', { query: 'message 29' })).toEqual([expect.objectContaining({ text: 'message number 29' })]);
  });
});
