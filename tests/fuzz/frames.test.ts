// Fuzzing the relay's WebSocket protocol: every client frame type, near-valid and not, before and
// after login, plus arbitrary JSON, broken JSON and bytes. Whatever arrives, the relay answers it
// with a result or a protocol error (never `internal`), or closes with a documented code, and goes
// on serving that socket and everyone else.
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateIdentity } from '../../shared/crypto.js';
import { ClientFrame, CloseCode, ErrorFrame, MAX_FRAME_BYTES, MAX_JSON_DEPTH, MAX_SOCKET_PAYLOAD, ResultFrame, resultSchemas, type ClientFrameType } from '../../shared/protocol.js';
import type { Relay } from '../../server/relay.js';
import type { WarblerClient } from '../../core/client.js';
import type { ChatMessage } from '../../shared/ipc.js';
import { onlineClient, tempDir, testRelay, waitFor } from '../helpers.js';
import { RawSocket, registerFrame } from '../raw-socket.js';
import { FRAME_TYPES, FrameCase, HONEST, anyInput, frameOfType, toWire, type FrameContext, type FrameInput, type Party, type WireFrame } from './frame-inputs.js';
import { FUZZ_SEED, fuzzRuns, readCorpus, timeoutFor } from './fuzz-run.js';

const RUNS = fuzzRuns(40);
/** An answer slower than this on an idle loopback relay is a hang. */
const ANSWER_TIMEOUT_MS = 5000;
/** Closes that mean the relay failed or is going away: never a fair answer to a client's input. */
const FAILURE_CLOSES = new Set<number>([CloseCode.internalError, CloseCode.goingAway]);
const DOCUMENTED_CLOSES = new Set<number>(Object.values(CloseCode));
const Answer = z.union([ResultFrame, ErrorFrame]);
type Phase = 'before-login' | 'after-login';
type Outcome = { answer: Record<string, unknown> } | { closed: { code: number; reason: string } } | { silent: true };

let relay: Relay;
let alice: WarblerClient;
let bob: { client: WarblerClient; received: ChatMessage[] };
let self: Party;
let peer: Party;
let counter = 0;
const unique = (): string => (++counter).toString(36);

async function registerOn(raw: RawSocket, username: string): Promise<Party> {
  const party = { identity: generateIdentity(), account: generateIdentity(), username };
  const reply = await raw.request(registerFrame(raw.binding, username, party.identity, party.account));
  expect(reply, `registering ${username}`).toMatchObject({ type: 'result' });
  return party;
}

async function registered(username: string): Promise<Party> {
  const raw = await RawSocket.open(relay.url);
  try {
    return await registerOn(raw, username);
  } finally {
    raw.close();
  }
}

beforeAll(async () => {
  const dir = tempDir('warbler-fuzz-frames-');
  relay = await testRelay(path.join(dir, 'relay'));
  alice = (await onlineClient(path.join(dir, 'alice'), relay, 'alice')).client;
  bob = await onlineClient(path.join(dir, 'bob'), relay, 'bob');
  self = await registered('fuzzself');
  peer = await registered('fuzzpeer');
});

afterAll(async () => {
  await alice?.close();
  await bob?.client.close();
  await relay?.close();
});

async function logIn(raw: RawSocket): Promise<void> {
  const reply = await raw.login(self.identity);
  if (reply.type === 'result') return;
  // An earlier run removed the device it logs in as (device-remove of its own key): a new account.
  expect(reply, 'logging in as the fuzzing device').toMatchObject({ code: 'unknown_device' });
  self = await registerOn(raw, `fuzzself${unique()}`);
}

/** Sends one input and waits for the first result or error after it, or for the socket to close. */
function exchange(raw: RawSocket, wire: WireFrame): Promise<Outcome> {
  const start = raw.frames.length;
  return new Promise((resolve) => {
    const finish = (outcome: Outcome) => {
      clearTimeout(timer);
      raw.ws.off('message', check);
      raw.ws.off('close', check);
      resolve(outcome);
    };
    const check = () => {
      const answer = raw.frames.slice(start).find((f) => f.type === 'result' || f.type === 'error');
      if (answer) finish({ answer });
      else if (raw.closed) finish({ closed: raw.closed });
    };
    const timer = setTimeout(() => finish({ silent: true }), ANSWER_TIMEOUT_MS);
    raw.ws.on('message', check);
    raw.ws.on('close', check);
    raw.ws.send(wire.data, { binary: wire.binary });
  });
}

/** Closes the relay may answer input with: its own documented ones, and RFC 6455's for a frame the WebSocket layer refuses. */
function closeAllowed(wire: WireFrame, code: number): boolean {
  if (FAILURE_CLOSES.has(code)) return false;
  if (DOCUMENTED_CLOSES.has(code)) return true;
  if (code === 1009) return wire.data.length > MAX_SOCKET_PAYLOAD;
  if (code === 1007) return !wire.binary && !wire.validUtf8;
  return false;
}

/** How deep arrays and objects nest in a parsed value (the relay counts the same in the text). */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

function checkOutcome(wire: WireFrame, outcome: Outcome, what: string): void {
  if ('silent' in outcome) throw new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms, and the socket still open: ${what}`);
  if ('closed' in outcome) {
    expect(closeAllowed(wire, outcome.closed.code), `closed with ${outcome.closed.code} "${outcome.closed.reason}": ${what}`).toBe(true);
    return;
  }
  const { answer } = outcome;
  const shown = `${JSON.stringify(answer).slice(0, 300)} for ${what}`;
  const parsed = Answer.safeParse(answer);
  expect(parsed.success, `not a result or error frame of the protocol: ${parsed.error?.message} ${shown}`).toBe(true);
  expect(answer.code, shown).not.toBe('internal');
  // What the relay refuses unread: binary, too large, too deep.
  if (wire.binary) return void expect(answer, shown).toMatchObject({ type: 'error', code: 'bad_frame', id: null });
  if (wire.data.length > MAX_FRAME_BYTES) return void expect(answer, shown).toMatchObject({ type: 'error', code: 'frame_too_large', id: null });
  if (depthOf(wire.parsed) > MAX_JSON_DEPTH) return void expect(answer, shown).toMatchObject({ type: 'error', code: 'bad_frame', id: null });
  const frame = ClientFrame.safeParse(wire.parsed);
  const sentId = typeof wire.parsed === 'object' && wire.parsed !== null ? (wire.parsed as { id?: unknown }).id : undefined;
  if (frame.success) {
    expect(answer.id, shown).toBe(frame.data.id);
  } else {
    // Refused before it was read as a frame: the id is echoed when there is a string to echo.
    expect(answer.type, `a result for a frame the protocol does not allow: ${shown}`).toBe('error');
    expect(typeof sentId === 'string' ? [null, sentId.slice(0, 64)] : [null], shown).toContain(answer.id);
  }
  if (frame.success && answer.type === 'result') {
    const data = resultSchemas[frame.data.type].safeParse(answer.data);
    expect(data.success, `a "${frame.data.type}" result that does not match its schema: ${shown}`).toBe(true);
  }
}

/** One socket, its inputs one after another, then an honest request that must still be answered. */
async function runCase(phase: Phase, inputs: FrameInput[]): Promise<void> {
  const raw = await RawSocket.open(relay.url);
  try {
    if (phase === 'after-login') await logIn(raw);
    const ctx: FrameContext = { binding: raw.binding, self, peer, unique };
    for (const input of inputs) {
      const wire = toWire(input, ctx);
      const outcome = await exchange(raw, wire);
      checkOutcome(wire, outcome, `${phase} ${JSON.stringify(input).slice(0, 400)}`);
      if ('closed' in outcome) break;
    }
    // After a documented close the relay still serves a new connection; otherwise this one.
    const honest = raw.closed ? await RawSocket.open(relay.url) : raw;
    try {
      expect(await honest.request({ type: 'ping', id: 'honest-ping' }), 'an honest ping after the fuzzed frames').toMatchObject({
        type: 'result',
        id: 'honest-ping',
      });
    } finally {
      if (honest !== raw) honest.close();
    }
  } finally {
    raw.close();
  }
}

async function honestClientsStillTalk(): Promise<void> {
  const text = `still here ${unique()}`;
  await alice.send('bob', text);
  await waitFor(() => bob.received.some((m) => m.text === text), 10_000, 'an honest message after the fuzzing');
}

const corpus = readCorpus('frames', FrameCase);
/** The test a corpus case replays in: its first frame's type, or the one for anything at all. */
function testOf(input: FrameInput): ClientFrameType | 'any' {
  if (input.kind === 'recipe') return input.type;
  const type = input.kind === 'json' && typeof input.value === 'object' && input.value !== null ? (input.value as { type?: unknown }).type : undefined;
  return FRAME_TYPES.find((t) => t === type) ?? 'any';
}
const examplesFor = (phase: Phase, test: ClientFrameType | 'any'): [FrameInput[]][] =>
  corpus.filter((c) => (c.phase === phase || c.phase === 'both') && testOf(c.inputs[0]!) === test).map((c) => [c.inputs]);

async function fuzz(phase: Phase, input: fc.Arbitrary<FrameInput>, test: ClientFrameType | 'any', runs: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(input, { minLength: 1, maxLength: 3 }), (inputs) => runCase(phase, inputs)),
    { seed: FUZZ_SEED, numRuns: runs, examples: examplesFor(phase, test) },
  );
  await honestClientsStillTalk();
}

it('starts every frame type from a frame the protocol allows, and reads every corpus case', async () => {
  const raw = await RawSocket.open(relay.url);
  try {
    const ctx: FrameContext = { binding: raw.binding, self, peer, unique };
    for (const type of FRAME_TYPES) expect(ClientFrame.safeParse(HONEST[type](ctx)).success, type).toBe(true);
  } finally {
    raw.close();
  }
  expect(corpus.length).toBeGreaterThan(0);
});

for (const phase of ['before-login', 'after-login'] as const) {
  describe(`fuzzed frames, ${phase}`, () => {
    for (const type of FRAME_TYPES) {
      it(`answers every "${type}" frame and keeps serving`, () => fuzz(phase, frameOfType(type), type, RUNS), timeoutFor(RUNS, 40));
    }
    it('answers arbitrary JSON, broken JSON and bytes, and keeps serving', () => {
      const mixed = fc.oneof(anyInput, ...FRAME_TYPES.map(frameOfType));
      return fuzz(phase, mixed, 'any', RUNS * 4);
    }, timeoutFor(RUNS * 4, 40));
  });
}
