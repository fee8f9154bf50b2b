// How calls are grouped: those of one turn together, more piling up only while the allowed batches
// are out, never more than the size limit in one; a batch the database refused is tried again call
// by call, and one that may have been kept is not.
import { describe, expect, it } from 'vitest';
import { CallBatches } from './call-batches.js';

/** A batch function that doubles numbers, refuses negative ones, and keeps each batch until let go. */
function doubling() {
  const batches: number[][] = [];
  const held: (() => void)[] = [];
  let holding = false;
  const run = async (inputs: readonly number[]): Promise<number[]> => {
    batches.push([...inputs]);
    if (holding) await new Promise<void>((resolve) => held.push(resolve));
    if (inputs.some((n) => n < 0)) throw new Error(`refused ${inputs.join(',')}`);
    return inputs.map((n) => n * 2);
  };
  return {
    batches,
    run,
    hold: () => (holding = true),
    release: () => {
      holding = false;
      for (const go of held.splice(0)) go();
    },
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
/** What the doubling function throws for a negative number: a refusal, nothing kept. */
const undone = (error: unknown) => error instanceof Error && error.message.startsWith('refused');

describe('CallBatches', () => {
  it('sends the calls of one turn as one batch, and answers each its own', async () => {
    const fn = doubling();
    const calls = new CallBatches(fn.run, { running: 2, size: 100 }, undone);
    expect(await Promise.all([1, 2, 3].map((n) => calls.call(n)))).toEqual([2, 4, 6]);
    expect(fn.batches).toEqual([[1, 2, 3]]);
  });

  it('lets calls pile up while the allowed batches are out, in batches of at most the size limit', async () => {
    const fn = doubling();
    const calls = new CallBatches(fn.run, { running: 1, size: 3 }, undone);
    fn.hold();
    const first = calls.call(1);
    await turn();
    const later = [2, 3, 4, 5, 6, 7, 8].map((n) => calls.call(n));
    await turn();
    await turn();
    // One batch out: the others wait for it.
    expect(fn.batches).toEqual([[1]]);
    fn.release();
    expect(await Promise.all([first, ...later])).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
    expect(fn.batches).toEqual([[1], [2, 3, 4], [5, 6, 7], [8]]);
  });

  it('holds a batch to its weight, but never leaves a heavy call out', async () => {
    const fn = doubling();
    const calls = new CallBatches(fn.run, { running: 1, size: 100, weight: 10 }, undone, (n) => n);
    expect(await Promise.all([4, 5, 2, 30, 1, 9].map((n) => calls.call(n)))).toEqual([8, 10, 4, 60, 2, 18]);
    expect(fn.batches).toEqual([[4, 5], [2], [30], [1, 9]]);
  });

  it('tries a failed batch again call by call, so only the call at fault fails', async () => {
    const fn = doubling();
    const calls = new CallBatches(fn.run, { running: 2, size: 100 }, undone);
    const results = await Promise.allSettled([5, -1, 7].map((n) => calls.call(n)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: new Error('refused -1') },
      { status: 'fulfilled', value: 14 },
    ]);
    expect(fn.batches).toEqual([[5, -1, 7], [5], [-1], [7]]);
  });

  it('refuses an answer that does not have one output per call', async () => {
    const calls = new CallBatches(async (inputs: readonly number[]) => inputs.slice(1), { running: 1, size: 10 }, undone);
    await expect(calls.call(1)).rejects.toThrow('the database answered 0 calls of 1');
  });

  it('fails the whole batch, without trying again, after an error that may have come after the commit', async () => {
    const batches: number[][] = [];
    const lost = async (inputs: readonly number[]): Promise<number[]> => {
      batches.push([...inputs]);
      throw new Error('Connection terminated unexpectedly');
    };
    const calls = new CallBatches(lost, { running: 1, size: 10 }, undone);
    const results = await Promise.allSettled([1, 2, 3].map((n) => calls.call(n)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(batches).toEqual([[1, 2, 3]]);
  });
});
