import { describe, expect, it } from 'vitest';
import type { PushItem } from '../../../shared/ipc.js';
import { centerOrder, mergeListed, sortPushes } from './push-list.js';

function push(id: string, time: number, patch: Partial<PushItem> = {}): PushItem {
  return { id, topic: 'ops', time, message: id, title: null, tags: [], priority: 3, click: null, markdown: false, read: false, attachment: null, ...patch };
}

function byId(...items: PushItem[]): Record<string, PushItem> {
  return Object.fromEntries(items.map((item) => [item.id, item]));
}

const nothingChanged = () => false;

describe('the order of pushes', () => {
  it('puts the newest first, and pushes of the same second in a stable order', () => {
    const list = sortPushes(byId(push('a', 10), push('c', 30), push('b', 20), push('b2', 20)));
    expect(list.map((p) => p.id)).toEqual(['c', 'b2', 'b', 'a']);
  });
});

describe("the center's order", () => {
  it('puts unread urgent, then unread high first; read ones and the rest by time', () => {
    const list = centerOrder(
      byId(
        push('old-urgent', 5, { priority: 5 }),
        push('high', 20, { priority: 4 }),
        push('new', 30),
        push('read-urgent', 40, { priority: 5, read: true }),
        push('low', 25, { priority: 1 }),
      ),
    );
    expect(list.map((p) => p.id)).toEqual(['old-urgent', 'high', 'read-urgent', 'new', 'low']);
  });
});

describe('a list from core joining what is held', () => {
  it('takes the list for what it covers, and drops pushes removed elsewhere', () => {
    const held = byId(push('a', 10), push('gone', 15));
    const merged = mergeListed(held, { items: [push('b', 20), push('a', 10, { read: true })], limit: 500, changedSince: nothingChanged });
    expect(sortPushes(merged).map((p) => [p.id, p.read])).toEqual([
      ['b', false],
      ['a', true],
    ]);
  });

  it('keeps what an event told of while the answer travelled', () => {
    const held = byId(push('a', 10, { read: true }), push('new', 30));
    const changed = new Set(['a', 'new', 'removed']);
    const merged = mergeListed(held, {
      items: [push('removed', 20), push('a', 10, { read: false })],
      limit: 500,
      changedSince: (id) => changed.has(id),
    });
    expect(merged).toEqual(byId(push('a', 10, { read: true }), push('new', 30)));
  });

  it('leaves other topics alone when one topic was listed', () => {
    const held = byId(push('a', 10), push('other', 12, { topic: 'home' }), push('gone', 11));
    const merged = mergeListed(held, { items: [push('a', 10)], topic: 'ops', limit: 500, changedSince: nothingChanged });
    expect(Object.keys(merged).sort()).toEqual(['a', 'other']);
  });

  it('keeps older pushes than a list cut at its limit reaches', () => {
    const held = byId(push('old', 5), push('gone', 25));
    const merged = mergeListed(held, { items: [push('c', 30), push('b', 20)], limit: 2, changedSince: nothingChanged });
    expect(Object.keys(merged).sort()).toEqual(['b', 'c', 'old']);
  });
});
