import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { History } from './history.js';
import { HistoryKey } from './vault/history-key.js';
import { applyGroupChange, nextMembers, type GroupChange } from './groups.js';
import { tempDir } from '../tests/helpers.js';

const G = '#AAAAAAAAAAAAAAAAAAAAAA';
let n = 0;
const change = (over: Partial<GroupChange>): GroupChange => ({
  groupId: G,
  name: 'Team',
  members: [],
  action: 'add',
  subjects: [],
  actor: 'alice',
  messageId: `m${n++}`,
  sentAt: 0,
  serverTime: n,
  fromRelay: true,
  ...over,
});

function device(me: string): History {
  const h = new History(path.join(tempDir(), `${me}.sqlite`), HistoryKey.generate());
  applyGroupChange(h, me, change({ action: 'create', members: ['alice', 'bob', 'carol'], messageId: 'create' }));
  return h;
}

describe('group membership on each device', () => {
  it('converges when two members change it at once, whatever order the changes arrive in', () => {
    const removeCarol = change({ action: 'remove', subjects: ['carol'], actor: 'alice' });
    const addDave = change({ action: 'add', subjects: ['dave'], actor: 'bob', members: ['alice', 'bob', 'carol', 'dave'] });
    const a = device('alice');
    const b = device('bob');
    applyGroupChange(a, 'alice', removeCarol);
    applyGroupChange(a, 'alice', addDave);
    applyGroupChange(b, 'bob', addDave);
    applyGroupChange(b, 'bob', removeCarol);
    expect(a.conversation(G)?.members).toEqual(['alice', 'bob', 'dave']);
    expect(b.conversation(G)?.members).toEqual(['alice', 'bob', 'dave']);
    const c = device('carol');
    applyGroupChange(c, 'carol', removeCarol);
    applyGroupChange(c, 'carol', addDave);
    expect(c.conversation(G)).toMatchObject({ active: false });
  });

  it('does not undo a later change when an earlier one is delivered again', () => {
    const h = device('alice');
    const addDave = change({ action: 'add', subjects: ['dave'], actor: 'alice' });
    applyGroupChange(h, 'alice', addDave);
    applyGroupChange(h, 'alice', change({ action: 'remove', subjects: ['dave'], actor: 'alice' }));
    expect(applyGroupChange(h, 'alice', addDave)).toBeNull();
    expect(h.conversation(G)?.members).toEqual(['alice', 'bob', 'carol']);
  });

  it('refuses changes from non-members, a rename that drops people, and a leave on someone else’s behalf', () => {
    expect(nextMembers(['alice', 'bob'], { action: 'add', subjects: ['eve'], actor: 'eve' })).toBeNull();
    expect(nextMembers(['alice', 'bob'], { action: 'rename', subjects: [], actor: 'bob' })).toEqual(['alice', 'bob']);
    expect(nextMembers(['alice', 'bob'], { action: 'leave', subjects: ['alice'], actor: 'bob' })).toBeNull();
    const h = device('bob');
    applyGroupChange(h, 'bob', change({ action: 'rename', name: 'Renamed', members: ['bob'], actor: 'alice' }));
    expect(h.conversation(G)).toMatchObject({ title: 'Renamed', members: ['alice', 'bob', 'carol'] });
  });
});
