// A profile the schema-2 release made opens with this Warbler, upgraded in place, nothing lost. It
// is opened the way the client opens a profile (its key from the vault, profile.json, the history
// and the stores on it), with no connection started.
import { HISTORY_MIGRATIONS } from './history-migrations.js';
import { MessageSearch } from '../search/message-search.js';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSodium } from '../../shared/crypto.js';
import { IdentityStore } from '../e2e/identities.js';
import { PreKeyStore } from '../e2e/prekeys.js';
import { SessionStore } from '../e2e/sessions.js';
import { History } from '../history.js';
import { HISTORY_FILE, PROFILE_FILE, readProfile, type Profile } from '../profile.js';
import { PushStore } from '../push-store.js';
import { historyKey } from '../vault/vault.js';
import { schemaVersion } from '../../shared/sqlite-migrations.js';
import { copySchema2Profile } from '../../tests/history-fixture.js';

const GROUP = '#e1V4qnr1_vUS4ZJ-aoCUzQ';

/** alice's seven messages as the schema-2 release stored them, in the order it stored them. */
const ALICE_MESSAGES = [
  { id: 'RLuShLLeAP1OonigIRrB3g', conversationId: 'bob', sender: 'alice', kind: 'text', text: 'hello bob', state: 'read', serverTime: 1796415177565 },
  { id: 'xCRYV-Fn-JxFMuTEJCfBoQ', conversationId: 'bob', sender: 'bob', kind: 'text', text: 'hi alice 你好', state: 'delivered', serverTime: 1796415177598 },
  { id: 'iHsRAUkuzItjwxBXjvJCXw', conversationId: GROUP, sender: 'alice', kind: 'event', text: 'alice created the group “Team”', state: 'delivered', serverTime: 1796415177608 },
  { id: 'QOlWEjDgPCAzbNhmG2WKbw', conversationId: GROUP, sender: 'alice', kind: 'text', text: 'welcome to the team', state: 'delivered', serverTime: 1796415177615 },
  { id: '_waOZi6B-eqC0yQICP9BRg', conversationId: 'bob', sender: 'alice', kind: 'text', text: 'are you there?', state: 'sent', serverTime: 1796415177647 },
  { id: 'sd6GlNrLnc-HikQSbtiwXg', conversationId: GROUP, sender: 'alice', kind: 'text', text: 'meeting at 10', state: 'sent', serverTime: 1796415177650 },
  { id: 'iR0ch9Aq9OTOwYzByoXUfQ', conversationId: 'bob', sender: 'alice', kind: 'text', text: 'queued while offline', state: 'sending', serverTime: null },
];

const publicKeys = (dir: string) => {
  const file = JSON.parse(fs.readFileSync(path.join(dir, PROFILE_FILE), 'utf8')) as { identity: { publicKey: string }; account: { publicKey: string } };
  return { device: file.identity.publicKey, account: file.account.publicKey };
};

const opened: History[] = [];
afterEach(() => {
  for (const history of opened.splice(0)) history.close();
});

async function openProfile(dir: string): Promise<{ profile: Profile; history: History; pushes: PushStore }> {
  await loadSodium();
  const key = await historyKey(dir, { kind: 'key-file' });
  const profile = readProfile(dir, key);
  if (!profile) throw new Error(`no profile in ${dir}`);
  const history = new History(path.join(dir, HISTORY_FILE), key);
  opened.push(history);
  return { profile, history, pushes: new PushStore(history.database) };
}

describe('a profile made by the schema-2 release', () => {
  it('opens upgraded to the current schema with every row as it was', async () => {
    const dir = copySchema2Profile('alice');
    const bob = publicKeys(copySchema2Profile('bob'));
    const carol = publicKeys(copySchema2Profile('carol'));
    const { profile, history, pushes } = await openProfile(dir);
    const db = history.database;
    expect(schemaVersion(db)).toBe(HISTORY_MIGRATIONS.length);
    expect(db.prepare('SELECT count(*) FROM attachments').pluck().get()).toBe(0);

    expect(history.conversations().map((c) => ({ id: c.id, kind: c.kind, title: c.title, members: c.members, active: c.active, unread: c.unread }))).toEqual([
      { id: 'bob', kind: 'direct', title: 'bob', members: ['alice', 'bob'], active: true, unread: 1 },
      { id: GROUP, kind: 'group', title: 'Team', members: ['alice', 'bob', 'carol'], active: true, unread: 0 },
    ]);
    const pick = (m: { id: string; conversationId: string; sender: string; kind: string; text: string; state: string; serverTime: number | null }) => ({
      id: m.id,
      conversationId: m.conversationId,
      sender: m.sender,
      kind: m.kind,
      text: m.text,
      state: m.state,
      serverTime: m.serverTime,
    });
    const stored = history.messagesAfter(0, 100);
    expect(stored.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(stored.map((s) => pick(s.message))).toEqual(ALICE_MESSAGES);
    // Before step 4 only the direction was recorded: bob's reply came through the relay, the rest alice wrote.
    expect(stored.filter((s) => s.fromRelay).map((s) => s.message.text)).toEqual(['hi alice 你好']);
    expect(history.lastMessageSeq()).toBe(7);
    expect(history.messages('bob', 10).map((m) => m.text)).toEqual(['hello bob', 'hi alice 你好', 'are you there?', 'queued while offline']);
    expect(history.messages(GROUP, 10).map((m) => m.text)).toEqual(['alice created the group “Team”', 'welcome to the team', 'meeting at 10']);
    expect(history.message('iHsRAUkuzItjwxBXjvJCXw')?.event).toEqual({ action: 'create', actor: 'alice', name: 'Team', subjects: [] });
    expect(history.outboxHead()).toMatchObject({ seq: 6, messageId: 'iR0ch9Aq9OTOwYzByoXUfQ', recipients: ['bob'], device: null, fresh: false });
    // Step 7 indexed every text message the release kept, and none of its group lines.
    const search = new MessageSearch(db);
    expect(search.search('你好').map((hit) => hit.text)).toEqual(['hi alice 你好']);
    expect(search.search('meeting').map((hit) => [hit.conversation, hit.from])).toEqual([[GROUP, 'alice']]);
    expect(search.search('created')).toEqual([]);
    expect(history.setting('relay.key')).toBe('k5ahZK_rOgyWyyH2cPmYUfpsj5HupxRMkqZuOX6EMvA');

    const preKeys = new PreKeyStore(db, profile.identity);
    expect(db.prepare('SELECT count(*) FROM prekeys').pluck().get()).toBe(101);
    expect(preKeys.signed(1)).toBeDefined();
    const sessions = new SessionStore(db, profile.identity, preKeys);
    for (const device of [bob.device, carol.device]) {
      expect(sessions.has(device)).toBe(true);
      expect(sessions.encrypt(device, new TextEncoder().encode('still works')).kind).toBe('ratchet');
    }
    const identities = new IdentityStore(db);
    expect(identities.get('bob')).toEqual({ username: 'bob', accountKey: bob.account, verified: false, changedAt: null, held: false });
    expect(identities.get('carol')?.accountKey).toBe(carol.account);

    expect(pushes.subscriptions()).toEqual([{ topic: 'ops', muted: false, minPriority: 3 }]);
    expect(pushes.resumePoints()).toEqual([{ topic: 'ops', after: 'B25RXEXSKsWF' }]);
    expect(pushes.list(undefined, 10).map((p) => [p.id, p.message, p.title, p.priority, p.tags, p.read, p.attachment])).toEqual([
      ['B25RXEXSKsWF', 'Deploy finished', 'ci', 3, [], false, null],
      ['wkpRJcUxnpgA', 'Disk at 91 %', null, 3, ['floppy_disk'], true, null],
      ['eRxAWmSpfokF', 'Backup done', 'nightly', 4, ['warning'], true, null],
    ]);
  });

  it('is upgraded once: opened again, it is the same database', async () => {
    const dir = copySchema2Profile('alice');
    const first = await openProfile(dir);
    first.history.addMessage(
      { id: 'after-upgrade', conversationId: 'bob', sender: 'bob', outgoing: false, kind: 'text', text: 'new', event: null, sentAt: 1, serverTime: 2, state: 'delivered' },
      { read: false, fromRelay: true },
    );
    opened.pop()?.close();
    const again = await openProfile(dir);
    expect(again.history.messagesAfter(7, 10).map((s) => [s.seq, s.message.id])).toEqual([[8, 'after-upgrade']]);
    expect(again.history.messagesAfter(0, 100)).toHaveLength(8);
    expect(new MessageSearch(again.history.database).search('new').map((hit) => hit.id)).toEqual(['after-upgrade']);
  });
});
