import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { History } from '../history.js';
import { HistoryKey } from '../vault/history-key.js';
import { tempDir } from '../../tests/helpers.js';
import { Presences } from './presence.js';

/** A relay whose answers to presence-withdraw come when the test says. */
function heldRelay() {
  const answers: Array<() => void> = [];
  const asked: string[][] = [];
  const relay = {
    state: 'online' as const,
    request: (frame: { type: string; usernames?: string[] }) => {
      asked.push(frame.usernames ?? []);
      return new Promise<never>((resolve) => answers.push(() => resolve(undefined as never)));
    },
  };
  return { relay, asked, answerAll: () => answers.splice(0).forEach((answer) => answer()) };
}

const alicePresences = (history: History, relay: ReturnType<typeof heldRelay>['relay']) =>
  new Presences({ me: 'alice', history, relay: relay as never, isBlocked: () => false, emit: () => true, log: pino({ level: 'silent' }) });

describe('presence withdrawals', () => {
  it('an answer arriving after the client closed records nothing, and the withdrawal is told again next time', async () => {
    const file = path.join(tempDir(), 'h.sqlite');
    const key = HistoryKey.generate();
    const history = new History(file, key);
    const { relay, asked, answerAll } = heldRelay();
    const errors: unknown[] = [];
    const onRejection = (err: unknown) => errors.push(err);
    process.on('unhandledRejection', onRejection);
    try {
      const presences = alicePresences(history, relay);
      presences.partedFrom(['bob']);
      expect(asked).toEqual([['bob']]);

      presences.close();
      history.close();
      answerAll();
      await new Promise((resolve) => setImmediate(resolve));
      expect(errors).toEqual([]);

      // Reopened (the next start): bob is still to be told, as the answer was never recorded.
      const reopened = new History(file, key);
      const next = heldRelay();
      const again = alicePresences(reopened, next.relay);
      again.withdraw();
      expect(next.asked).toEqual([['bob']]);
      next.answerAll();
      await new Promise((resolve) => setImmediate(resolve));
      again.withdraw();
      expect(next.asked).toEqual([['bob']]);
      reopened.close();
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
