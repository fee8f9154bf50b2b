import { describe, expect, it } from 'vitest';
import { applySettingsPatch, DEFAULT_DESKTOP_SETTINGS, type DesktopSettings, type DesktopSettingsPatch } from '../shared/desktop-settings.js';
import type { ChatMessage, PushItem, PushSubscription } from '../shared/ipc.js';
import { Notifier, type NoticeTarget, type NotificationRequest } from './notifier.js';
import { shellStrings } from './strings.js';

/** Records what the OS would show, and lets a test click or dismiss it. */
class RecordingSink {
  readonly shown: (NotificationRequest & { closed: boolean })[] = [];
  show(request: NotificationRequest) {
    const entry = { ...request, closed: false };
    this.shown.push(entry);
    return { close: () => void (entry.closed = true) };
  }
  get open() {
    return this.shown.filter((n) => !n.closed);
  }
}

function setup(patch: DesktopSettingsPatch = {}, now = new Date(2026, 10, 26, 12, 0), locale = 'en-US') {
  const sink = new RecordingSink();
  let settings: DesktopSettings = applySettingsPatch(DEFAULT_DESKTOP_SETTINGS, patch);
  let viewing = { conversationId: null as string | null, focused: false };
  const opened: NoticeTarget[] = [];
  const subscriptions = new Map<string, PushSubscription>([['ops', { topic: 'ops', muted: false, minPriority: 3 }]]);
  const muted = new Set<string>();
  const notifier = new Notifier({
    sink,
    settings: () => settings,
    viewing: () => viewing,
    muted: (id) => muted.has(id),
    me: () => 'alice',
    groupTitle: (id) => (id === '#g1' ? 'Team' : undefined),
    subscription: (topic) => subscriptions.get(topic),
    open: (target) => opened.push(target),
    now: () => now,
    strings: shellStrings(locale),
  });
  return {
    sink,
    notifier,
    opened,
    subscriptions,
    muted,
    set: (p: DesktopSettingsPatch) => void (settings = applySettingsPatch(settings, p)),
    view: (conversationId: string | null, focused = true) => {
      viewing = { conversationId, focused };
      notifier.onViewing(viewing);
    },
    online: () => {
      notifier.onState('online');
      notifier.onDrained();
    },
  };
}

let seq = 0;
function message(sender: string, text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: `m${++seq}`,
    conversationId: sender,
    sender,
    outgoing: false,
    text,
    sentAt: 1,
    serverTime: 1,
    state: 'delivered',
    kind: 'text',
    event: null,
    ...extra,
  } as ChatMessage;
}

function push(extra: Partial<PushItem> = {}): PushItem {
  return { id: `p${++seq}`, topic: 'ops', time: 1, message: 'Backup done', title: null, tags: [], priority: 3, click: null, markdown: false, read: false, attachment: null, ...extra };
}

describe('notifications for messages', () => {
  it('shows sender and text, and a click opens that conversation', () => {
    const t = setup();
    t.online();
    t.notifier.onReceived(message('bob', 'Lunch?'));
    expect(t.sink.open).toMatchObject([{ title: 'bob', body: 'Lunch?', target: { conversationId: 'bob' } }]);
    t.sink.shown[0]?.onClick();
    expect(t.opened).toEqual([{ conversationId: 'bob' }]);
  });

  it('shows the words of a message, not its Markdown marks; a plain push as written', () => {
    const t = setup();
    t.online();
    t.notifier.onReceived(message('bob', 'Ferry at **9:40**, bring the `tent`'));
    expect(t.sink.open).toMatchObject([{ body: 'Ferry at 9:40, bring the tent' }]);
    t.subscriptions.set('ops', { topic: 'ops', muted: false, minPriority: 1 });
    t.notifier.onPush(push({ message: 'db-1 at **91%**', markdown: true }));
    t.notifier.onPush(push({ message: 'glob *.log matched 2*3 files' }));
    expect(t.sink.open.slice(1).map((n) => n.body)).toEqual(['db-1 at 91%', 'glob *.log matched 2*3 files']);
  });

  it('collapses many messages of one conversation into one notification with a count', () => {
    const t = setup();
    t.online();
    t.notifier.onReceived(message('bob', 'one'));
    t.notifier.onReceived(message('bob', 'two'));
    t.notifier.onReceived(message('bob', 'three'));
    t.notifier.onReceived(message('carol', 'hi'));
    expect(t.sink.open.map((n) => [n.title, n.body])).toEqual([
      ['bob · 3 new messages', 'three'],
      ['carol', 'hi'],
    ]);
  });

  it('shows nothing for a muted conversation, unless the message mentions this person', () => {
    const t = setup();
    t.online();
    t.muted.add('bob');
    t.notifier.onReceived(message('bob', 'muted'));
    t.notifier.onReceived(message('carol', 'not muted'));
    expect(t.sink.open.map((n) => n.title)).toEqual(['carol']);
    t.notifier.onReceived(message('bob', 'look at this @Alice'));
    expect(t.sink.open.map((n) => n.body)).toContain('look at this @Alice');
  });

  it('takes a notification away when the message it shows is deleted or disappears', () => {
    const t = setup();
    t.online();
    const secret = message('bob', 'a secret', { id: 'm-secret' });
    t.notifier.onReceived(secret);
    t.notifier.onReceived(message('carol', 'hello', { id: 'm-carol' }));
    t.notifier.onMessageGone('carol', 'm-other');
    t.notifier.onMessageGone('bob', 'm-secret');
    expect(t.sink.open.map((n) => n.title)).toEqual(['carol']);
  });

  it('shows nothing for the conversation in view while the window has focus', () => {
    const t = setup();
    t.online();
    t.view('bob');
    t.notifier.onReceived(message('bob', 'seen as it comes'));
    t.notifier.onReceived(message('carol', 'elsewhere'));
    expect(t.sink.open.map((n) => n.title)).toEqual(['carol']);
    t.view('bob', false);
    t.notifier.onReceived(message('bob', 'window in the background'));
    expect(t.sink.open.map((n) => n.title)).toEqual(['carol', 'bob']);
  });

  it('takes a notification away once its conversation is seen or read elsewhere', () => {
    const t = setup();
    t.online();
    t.notifier.onReceived(message('bob', 'one'));
    t.notifier.onReceived(message('carol', 'two'));
    t.view('bob');
    t.notifier.onConversationSeen('carol');
    expect(t.sink.open).toEqual([]);
    // A fresh message starts a fresh count.
    t.view(null);
    t.notifier.onReceived(message('bob', 'again'));
    expect(t.sink.open.map((n) => n.title)).toEqual(['bob']);
  });

  it('names the group and the sender', () => {
    const t = setup();
    t.online();
    t.notifier.onReceived(message('bob', 'standup?', { conversationId: '#g1' }));
    expect(t.sink.open).toMatchObject([{ title: 'Team', body: 'bob: standup?' }]);
  });

  it('hides the text, or the names too, as the privacy setting says', () => {
    const t = setup({ notifications: { content: 'name-only' } });
    t.online();
    t.notifier.onReceived(message('bob', 'secret plans'));
    expect(t.sink.open).toMatchObject([{ title: 'bob', body: 'New message' }]);
    t.set({ notifications: { content: 'nothing' } });
    t.notifier.onReceived(message('bob', 'more secret plans'));
    expect(t.sink.open).toMatchObject([{ title: 'Warbler', body: '2 new messages' }]);
    expect(JSON.stringify(t.sink.shown)).not.toContain('secret');
  });

  it('turns a backlog into one notification per conversation, or one summary when it spans many', () => {
    const t = setup();
    t.notifier.onState('connecting');
    for (let i = 0; i < 5; i++) t.notifier.onReceived(message('bob', `b${i}`));
    t.notifier.onReceived(message('carol', 'c'));
    expect(t.sink.shown).toEqual([]);
    t.notifier.onDrained();
    expect(t.sink.open.map((n) => [n.title, n.body])).toEqual([
      ['bob · 5 new messages', 'b4'],
      ['carol', 'c'],
    ]);

    const u = setup();
    u.notifier.onState('connecting');
    for (const name of ['a1', 'a2', 'a3', 'a4', 'a5']) u.notifier.onReceived(message(name, 'hi'));
    u.notifier.onDrained();
    expect(u.sink.open).toMatchObject([{ title: '5 new messages', body: 'from a1, a2, a3 and 2 more', target: { conversationId: 'a5' } }]);
  });

  it('ignores own messages from other devices and placeholders', () => {
    const t = setup();
    t.online();
    t.notifier.onReceived(message('me', 'mine', { outgoing: true, conversationId: 'bob' }));
    t.notifier.onReceived(message('bob', '', { kind: 'undecryptable' }));
    expect(t.sink.shown).toEqual([]);
  });
});

describe('notifications for pushes', () => {
  it('notifies from the topic priority up, critical for max, silent for low', () => {
    const t = setup();
    t.online();
    t.notifier.onPush(push({ priority: 2 }));
    expect(t.sink.shown).toEqual([]);
    t.subscriptions.set('ops', { topic: 'ops', muted: false, minPriority: 1 });
    t.notifier.onPush(push({ priority: 2, title: 'quiet' }));
    t.notifier.onPush(push({ priority: 5, title: 'disk full' }));
    expect(t.sink.open.map((n) => [n.title, n.urgency, n.silent, n.priority])).toEqual([
      ['quiet', 'normal', true, 2],
      ['disk full', 'critical', false, 5],
    ]);
  });

  it('stays quiet for muted topics and read pushes, and takes a push away once read', () => {
    const t = setup();
    const item = push();
    t.notifier.onPush(item);
    expect(t.sink.open).toHaveLength(1);
    t.notifier.onPush({ ...item, read: true });
    expect(t.sink.open).toHaveLength(0);
    t.subscriptions.set('ops', { topic: 'ops', muted: true, minPriority: 3 });
    t.notifier.onPush(push());
    expect(t.sink.open).toHaveLength(0);
  });

  it('a click opens that push', () => {
    const t = setup();
    const item = push();
    t.notifier.onPush(item);
    t.sink.shown[0]?.onClick();
    expect(t.opened).toEqual([{ pushId: item.id }]);
  });
});

describe('do not disturb', () => {
  it('silences messages and pushes, lets max pushes through when allowed', () => {
    const now = new Date(2026, 10, 26, 23, 30);
    const t = setup({ dnd: { schedule: { enabled: true, start: '22:00', end: '07:00' } } }, now);
    t.online();
    t.notifier.onReceived(message('bob', 'late'));
    t.notifier.onPush(push({ priority: 4 }));
    t.notifier.onPush(push({ priority: 5, title: 'server down' }));
    expect(t.sink.open.map((n) => n.title)).toEqual(['server down']);
    t.set({ dnd: { allowMax: false } });
    t.notifier.onPush(push({ priority: 5, title: 'still down' }));
    expect(t.sink.open.map((n) => n.title)).toEqual(['server down']);
  });

  it('by hand, until a time', () => {
    const now = new Date(2026, 10, 26, 12, 0);
    const t = setup({ dnd: { until: now.getTime() + 60_000 } }, now);
    t.online();
    t.notifier.onReceived(message('bob', 'quiet'));
    expect(t.sink.shown).toEqual([]);
    t.set({ dnd: { until: now.getTime() - 1 } });
    t.notifier.onReceived(message('bob', 'loud'));
    expect(t.sink.open.map((n) => n.body)).toEqual(['loud']);
  });

  it('notifications off: nothing at all', () => {
    const t = setup({ notifications: { enabled: false } });
    t.online();
    t.notifier.onReceived(message('bob', 'x'));
    t.notifier.onPush(push({ priority: 5 }));
    expect(t.sink.shown).toEqual([]);
  });
});

describe('language', () => {
  it('speaks Simplified Chinese where the system does', () => {
    const t = setup({ notifications: { content: 'nothing' } }, undefined, 'zh-CN');
    t.online();
    t.notifier.onReceived(message('bob', 'a'));
    t.notifier.onReceived(message('bob', 'b'));
    expect(t.sink.open).toMatchObject([{ title: 'Warbler', body: '2 条新消息' }]);
    expect(shellStrings('zh-TW').newMessage).toBe('New message');
    expect(shellStrings('de').newMessage).toBe('New message');
  });
});
