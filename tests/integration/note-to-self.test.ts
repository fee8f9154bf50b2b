// "Note to self": a direct conversation with one's own username. What is written there reaches the
// account's other devices (and only them), and a lone device keeps its notes too.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import type { ChatMessage } from '../../shared/ipc.js';
import { httpUrl, onlineClient, relayIn, tempDir, useCleanups, waitFor } from '../helpers.js';

const cleanups = useCleanups();

describe('note to self', () => {
  it("keeps a lone device's notes, reaches a linked device, and nobody else", async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const { client: laptop } = await onlineClient(path.join(dir, 'laptop'), relay, 'alice');
    cleanups.push(() => laptop.close());
    const { client: bob, received: bobGot } = await onlineClient(path.join(dir, 'bob'), relay, 'bob');
    cleanups.push(() => bob.close());

    const first = await laptop.send('alice', 'buy milk');
    expect(first.conversationId).toBe('alice');
    expect(laptop.conversations().find((c) => c.id === 'alice')).toMatchObject({ kind: 'direct', members: ['alice'] });

    const linking = await WarblerClient.link(path.join(dir, 'phone'), httpUrl(relay));
    await laptop.approveDevice(linking.code);
    const phone = await linking.done;
    cleanups.push(() => phone.close());
    const phoneGot: ChatMessage[] = [];
    phone.on('received', (m) => phoneGot.push(m));
    phone.start();
    await phone.waitOnline(10_000);

    await laptop.send('alice', 'call the plumber');
    await waitFor(() => phone.messages('alice', 50).some((m) => m.text === 'call the plumber'), 10_000, 'the note on the phone');
    const onPhone = phone.messages('alice', 50).find((m) => m.text === 'call the plumber')!;
    expect(onPhone.outgoing).toBe(true);
    expect(phone.conversations().find((c) => c.id === 'alice')).toMatchObject({ members: ['alice'] });

    // The phone writes one back: the laptop has it, in the same conversation.
    await phone.send('alice', 'done');
    await waitFor(() => laptop.messages('alice', 50).some((m) => m.text === 'done'), 10_000, 'the note on the laptop');
    expect(laptop.messages('alice', 50).map((m) => m.text)).toEqual(['buy milk', 'call the plumber', 'done']);
    expect(bobGot).toEqual([]);
    expect(phoneGot.map((m) => m.text)).not.toContain('buy milk');
  });
});
