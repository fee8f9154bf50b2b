// Exactly once, in order, over a bad network: the relay and two clients each in a network namespace
// of their own (tests/netns.ts), every link losing 10 % of its packets each way, delaying the rest
// with jitter and reordering them, while alice sends bob 1,000 messages and bob writes back.
// A machine that cannot build namespaces with faults fails this test and says what it lacks.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { OUTBOX_WINDOW } from '../../core/client/outbox.js';
import { tempDir, waitFor } from '../helpers.js';
import { buildLab, preflight, RELAY_ADDRESS, stripTypes, type Emulator, type Faults, type Lab, type NsProcess } from '../netns.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER = path.join(ROOT, 'dist/server/main.js');
const PEER = path.join(ROOT, 'tests/netns-peer.ts');
const IMPAIRER = path.join(ROOT, 'tests/netns-impairer.ts');
const PORT = '7878';

const MESSAGES = 1000; // alice → bob
const REPLIES = 250; // bob → alice, at the same time

/**
 * The faults: 300 ms each way, with jitter, loss and reordering. The outbox keeps up to
 * OUTBOX_WINDOW messages on their way at once (one at a time, a thousand would take over ten
 * minutes); WARBLER_NETFAULTS_DELAY_MS and _JITTER_MS change the delay.
 */
const FAULTS: Faults = {
  lossPct: 10,
  delayMs: Number(process.env.WARBLER_NETFAULTS_DELAY_MS ?? 300),
  jitterMs: Number(process.env.WARBLER_NETFAULTS_JITTER_MS ?? 30),
  reorderPct: 25,
  reorderCorrelationPct: 50,
};
/** Bounded, and in proportion to the delay when it is raised. */
const TIMEOUT_MS = Math.max(300_000, 120_000 + (MESSAGES / OUTBOX_WINDOW) * 10 * (FAULTS.delayMs + FAULTS.jitterMs));

function wantedEmulator(): Emulator | 'auto' {
  const wanted = process.env.WARBLER_NETFAULTS ?? 'auto';
  if (wanted !== 'auto' && wanted !== 'netem' && wanted !== 'userspace') throw new Error(`WARBLER_NETFAULTS is auto, netem or userspace, not "${wanted}"`);
  return wanted;
}

interface Line {
  event?: string;
  [key: string]: unknown;
}
interface Stored {
  id: string;
  sender: string;
  kind: string;
  text: string;
  state: string;
}

/** The states of a `sent` report's messages other than accepted by the relay, with their counts. */
const notAccepted = (report: Line) =>
  Object.entries(report.states as Record<string, number>).filter(([state]) => !['sent', 'delivered', 'read'].includes(state));
const received = (p: NsProcess) => (p.lines as Line[]).filter((l) => l.event === 'received');
const texts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} #${String(i + 1).padStart(4, '0')}`);

async function history(p: NsProcess, peer: string): Promise<Stored[]> {
  const from = p.lines.length;
  p.send({ cmd: 'history', with: peer, limit: 10 * MESSAGES });
  return (await p.next((l) => l.event === 'history', 30_000, 'its history', from)).messages as Stored[];
}

let lab: Lab | undefined;
const dirs: string[] = [];

afterAll(async () => {
  await lab?.teardown();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('network faults', () => {
  it(
    `${MESSAGES} messages through namespaced links that lose ${FAULTS.lossPct} % of packets, delay and reorder them: each exactly once, in order`,
    async () => {
      expect(fs.existsSync(SERVER), 'run npm run build first').toBe(true);
      const started = Date.now();
      const allowed = await preflight(wantedEmulator());
      if ('missing' in allowed) throw new Error(`this machine cannot run the network-fault test: ${allowed.missing}`);
      lab = await buildLab(allowed.emulator, FAULTS, IMPAIRER);
      const dir = tempDir('warbler-netfaults-');
      dirs.push(dir);

      const budgets = ['--registrations-per-hour', '1000000', '--sends-per-second', '1000000', '--sends-per-day', '1000000000', '--ephemeral-per-second', '1000000'];
      const relay = lab.spawnIn(lab.ns.relay, 'the relay', process.execPath, [
        SERVER, '--host', '0.0.0.0', '--port', PORT, '--data', path.join(dir, 'relay'), '--log-level', 'info', ...budgets,
      ]);
      await relay.next((l) => l.msg === 'relay listening', 30_000, 'relay listening');
      const peer = (name: 'alice' | 'bob') =>
        lab!.spawnIn(lab!.ns[name], name, process.execPath, [...stripTypes(), PEER, path.join(dir, name), `http://${RELAY_ADDRESS[name]}:${PORT}`, name]);
      const alice = peer('alice');
      const bob = peer('bob');
      await Promise.all([alice, bob].map((p) => p.next((l) => l.event === 'online', 120_000, 'registered and online')));
      const ready = Date.now();

      const toBob = texts('alice to bob', MESSAGES);
      const toAlice = texts('bob to alice', REPLIES);
      alice.send({ cmd: 'send', to: 'bob', texts: toBob });
      bob.send({ cmd: 'send', to: 'alice', texts: toAlice });
      const budget = TIMEOUT_MS - (Date.now() - started) - 30_000;
      const [aliceSent, bobSent] = await Promise.all([
        alice.next((l) => l.event === 'sent', budget, `all ${MESSAGES} messages accepted by the relay`),
        bob.next((l) => l.event === 'sent', budget, `all ${REPLIES} replies accepted by the relay`),
      ]);
      await waitFor(
        () => received(bob).length >= MESSAGES && received(alice).length >= REPLIES,
        Math.max(10_000, TIMEOUT_MS - (Date.now() - started) - 20_000),
        'every message delivered',
      );
      const exchanged = Date.now();
      // Long enough for a late duplicate to arrive across the links, were there one.
      await new Promise((r) => setTimeout(r, 1000 + 6 * (FAULTS.delayMs + FAULTS.jitterMs)));

      const faults = await lab.stats();
      // The first "connecting" is the first connection.
      const reconnects = (p: NsProcess) => (p.lines as Line[]).filter((l) => l.event === 'state' && l.state === 'connecting').length - 1;
      console.log(
        `network faults (${faults.emulator}: loss ${FAULTS.lossPct} %, delay ${FAULTS.delayMs} ms ± ${FAULTS.jitterMs} ms, ` +
          `reorder ${FAULTS.reorderPct} %): set-up ${ready - started} ms, ${MESSAGES} + ${REPLIES} messages exchanged in ${exchanged - ready} ms; ` +
          `${faults.passed} packets passed, ${faults.dropped} dropped` +
          (faults.reordered === undefined ? '' : `, ${faults.reordered} reordered`) +
          `; reconnects: alice ${reconnects(alice)}, bob ${reconnects(bob)}`,
      );

      // Every message accepted by the relay (sent, or delivered by now), none failed or still waiting.
      expect(notAccepted(aliceSent)).toEqual([]);
      expect(notAccepted(bobSent)).toEqual([]);
      // As they arrived: each once, in the order written.
      expect(received(bob).map((l) => `${String(l.from)}: ${String(l.text)}`)).toEqual(toBob.map((t) => `alice: ${t}`));
      expect(received(alice).map((l) => `${String(l.from)}: ${String(l.text)}`)).toEqual(toAlice.map((t) => `bob: ${t}`));
      expect(new Set(received(bob).map((l) => l.id)).size).toBe(MESSAGES);
      // As stored: the same, and each side's history holds both directions once.
      for (const [p, peerName, mine, theirs] of [
        [bob, 'alice', toAlice, toBob],
        [alice, 'bob', toBob, toAlice],
      ] as const) {
        const stored = await history(p, peerName);
        expect(stored.filter((m) => m.kind !== 'text')).toEqual([]);
        expect(stored.filter((m) => m.sender === peerName).map((m) => m.text)).toEqual(theirs);
        expect(stored.filter((m) => m.sender !== peerName).map((m) => m.text)).toEqual(mine);
        expect(new Set(stored.map((m) => m.id)).size).toBe(stored.length);
      }

      // And the faults were there: about one packet in ten lost, packets overtaken, and the delay
      // (a window of alice's messages waits a round trip, two delays, for its first answer).
      const seen = faults.passed + faults.dropped;
      expect(seen).toBeGreaterThan(2 * MESSAGES);
      expect(faults.dropped / seen).toBeGreaterThan((0.5 * FAULTS.lossPct) / 100);
      expect(faults.dropped / seen).toBeLessThan((1.5 * FAULTS.lossPct) / 100);
      if (faults.reordered !== undefined) expect(faults.reordered).toBeGreaterThan(0);
      expect(aliceSent.ms as number).toBeGreaterThanOrEqual((MESSAGES / OUTBOX_WINDOW) * 2 * FAULTS.delayMs);
    },
    TIMEOUT_MS,
  );
});
