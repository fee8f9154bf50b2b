import { describe, expect, it } from 'vitest';
import { NoticePolicy, pushNotice } from './notices.js';
import type { ChatMessage } from '../../shared/ipc.js';

let n = 0;
const incoming = (sender: string, text = 'hi'): ChatMessage => ({
  id: `m${n++}`,
  conversationId: sender,
  sender,
  outgoing: false,
  text,
  sentAt: 0,
  serverTime: 0,
  state: 'delivered',
  kind: 'text',
  event: null,
});

describe('which messages raise an OS notification', () => {
  it('summarises the backlog in one notice, then notifies live messages one by one', () => {
    const policy = new NoticePolicy();
    policy.onState('online');
    for (const sender of ['bob', 'carol', 'bob', 'dave', 'erin']) expect(policy.onReceived(incoming(sender))).toBeNull();
    expect(policy.onDrained()).toEqual({ title: '5 new messages', body: 'from bob, carol, dave and 1 more', conversationId: 'erin' });
    expect(policy.onReceived(incoming('bob', 'live'))).toEqual({ title: 'bob', body: 'live', conversationId: 'bob' });
  });

  it('shows a single queued message as itself, and nothing for an empty backlog or own messages', () => {
    const policy = new NoticePolicy();
    policy.onReceived(incoming('bob', 'while away'));
    expect(policy.onDrained()).toEqual({ title: 'bob', body: 'while away', conversationId: 'bob' });
    expect(policy.onDrained()).toBeNull();
    expect(policy.onReceived({ ...incoming('bob'), outgoing: true })).toBeNull();
    expect(policy.onReceived({ ...incoming('bob'), kind: 'event' })).toBeNull();
    expect(policy.onReceived({ ...incoming('bob', ''), kind: 'undecryptable' })).toBeNull();
    expect(policy.onReceived(incoming('bob', 'the real one'))).toEqual({ title: 'bob', body: 'the real one', conversationId: 'bob' });
  });

  it('goes back to collecting when the connection drops', () => {
    const policy = new NoticePolicy();
    policy.onDrained();
    policy.onState('connecting');
    expect(policy.onReceived(incoming('bob'))).toBeNull();
    expect(policy.onDrained()?.title).toBe('bob');
  });
});

describe('which pushes raise an OS notification', () => {
  const item = { id: 'p1', topic: 'ops', time: 1, message: 'Backup done', title: null, tags: [], priority: 3, click: null, markdown: false, read: false };
  const subscription = { topic: 'ops', muted: false, minPriority: 3 };
  it('default priority and above, of followed topics that are not muted', () => {
    expect(pushNotice(item, subscription)).toEqual({ title: 'ops', body: 'Backup done', pushId: 'p1' });
    expect(pushNotice({ ...item, title: 'nightly', priority: 5 }, subscription)?.title).toBe('nightly');
    expect(pushNotice({ ...item, priority: 2 }, subscription)).toBeNull();
    expect(pushNotice(item, { ...subscription, muted: true })).toBeNull();
    expect(pushNotice(item, undefined)).toBeNull();
    expect(pushNotice({ ...item, read: true }, subscription)).toBeNull();
  });
});
