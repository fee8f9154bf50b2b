import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/ipc.js';
import { chatMessage } from './chat-message.fixture.js';
import { RUN_GAP_MS, firstUnreadOf, lineOf, logLines } from './log-lines.js';

const message = (id: string, sentAt: number): ChatMessage => chatMessage(id, sentAt);

describe('the lines of a log', () => {
  it('opens each day with a line, keyed by the message it opens', () => {
    const day1 = new Date(2026, 11, 3, 22).getTime();
    const day2 = new Date(2026, 11, 4, 8).getTime();
    const lines = logLines([message('a', day1), message('b', day1 + 60_000), message('c', day2), message('d', day2 + 1)]);
    expect(lines.map((l) => l.key)).toEqual(['day:a', 'a', 'b', 'day:c', 'c', 'd']);
    expect(lineOf(lines, 'c')).toBe(4);
    expect(lineOf(lines, 'z')).toBe(-1);
  });

  it('opens a day again when a clock behind brings it back, with keys still apart', () => {
    const day1 = new Date(2026, 11, 3, 23, 59).getTime();
    const day2 = new Date(2026, 11, 4, 0, 1).getTime();
    const keys = logLines([message('a', day1), message('b', day2), message('c', day1 + 1)]).map((l) => l.key);
    expect(keys).toEqual(['day:a', 'a', 'day:b', 'b', 'day:c', 'c']);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('opens no day at the first message held when earlier ones are not held', () => {
    const day1 = new Date(2026, 11, 3, 22).getTime();
    const day2 = new Date(2026, 11, 4, 8).getTime();
    const keys = logLines([message('a', day1), message('b', day2)], true).map((l) => l.key);
    expect(keys).toEqual(['a', 'day:b', 'b']);
  });

  it('draws the messages of one person written close together as one run', () => {
    const t = new Date(2026, 11, 4, 10).getTime();
    const mine = (id: string, at: number): ChatMessage => ({ ...message(id, at), outgoing: true, sender: 'me' });
    const lines = logLines([message('a', t), message('b', t + 60_000), message('c', t + 120_000), mine('d', t + 130_000), message('e', t + 140_000), message('f', t + 140_000 + RUN_GAP_MS)]);
    const runs = Object.fromEntries(lines.flatMap((l) => (l.kind === 'message' ? [[l.key, l.run ?? 'alone']] : [])));
    expect(runs).toEqual({ a: 'start', b: 'middle', c: 'end', d: 'alone', e: 'alone', f: 'alone' });
  });

  it('lets a day or a group event end a run', () => {
    const late = new Date(2026, 11, 3, 23, 59).getTime();
    const event: ChatMessage = { ...message('x', late + 2_000), kind: 'event' };
    const lines = logLines([message('a', late), message('b', late + 1_000), event, message('c', late + 3_000), message('d', late + 120_000)]);
    const runs = lines.map((l) => (l.kind === 'message' ? `${l.key}:${l.run ?? 'alone'}` : l.key));
    expect(runs).toEqual(['day:a', 'a:start', 'b:end', 'x:alone', 'c:alone', 'day:d', 'd:alone']);
  });

  it('marks where the messages unread at opening start, counting only those others wrote', () => {
    const t = new Date(2026, 11, 4, 10).getTime();
    const mine = (id: string, at: number): ChatMessage => ({ ...message(id, at), outgoing: true, sender: 'me' });
    const messages = [message('a', t), message('b', t + 1), mine('c', t + 2), message('d', t + 3)];
    expect(firstUnreadOf(messages, 0)).toBeNull();
    expect(firstUnreadOf(messages, 2)).toBe('b');
    expect(firstUnreadOf(messages, 9)).toBeNull();
    const keys = logLines(messages, false, 'b').map((l) => (l.kind === 'message' ? `${l.key}:${l.run ?? 'alone'}` : l.key));
    // The line ends the run it falls in.
    expect(keys).toEqual(['day:a', 'a:alone', 'unread', 'b:alone', 'c:alone', 'd:alone']);
  });
});
