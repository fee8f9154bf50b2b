// Fuzzing the push API over raw HTTP: publishes, polls and WebSocket upgrades with random ntfy
// headers and query parameters (CR and LF, bytes past ASCII, very long values included). Every
// answer is a success or a refusal in the push API's JSON, never a 5xx; after each request an
// honest publish and poll still work, and at the end the relay starts again on what was stored.
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERRORS } from '../../shared/errors.js';
import { PushMessage, TOPIC_PATTERN } from '../../shared/push.js';
import type { Relay } from '../../server/relay.js';
import { httpUrl, tempDir, testRelay } from '../helpers.js';
import { FUZZ_SEED, fuzzRuns, readCorpus, timeoutFor } from './fuzz-run.js';
import { ENDPOINTS, PushCase, REQUESTS, TOPICS, classify, requestBytes, type Endpoint, type PushRequest } from './push-inputs.js';
import { rawExchange, type RawResponse } from './raw-http.js';

const RUNS = fuzzRuns(60);
/** An answer slower than this on an idle loopback relay is a hang (a password check takes ~0.1 s). */
const ANSWER_TIMEOUT_MS = 5000;
/** Tests publish from one address far faster than the default visitor budget allows. */
const CONFIG = { visitorBurst: 1_000_000, logLevel: 'silent' } as const;
const CLOSE_TIMEOUT_MS = 10_000;

let relay: Relay | undefined;
let dataDir: string;
let counter = 0;

beforeAll(async () => {
  dataDir = path.join(tempDir('warbler-fuzz-push-'), 'relay');
  relay = await testRelay(dataDir, 0, { config: CONFIG });
});

/** relay.close(), failing rather than hanging when something it waits for never ends. */
async function closeRelay(closing: Relay): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the relay did not close within ${CLOSE_TIMEOUT_MS} ms: a connection it waits for never ended`)), CLOSE_TIMEOUT_MS);
  });
  try {
    await Promise.race([closing.close(), stuck]);
  } finally {
    clearTimeout(timer);
  }
}

afterAll(async () => {
  if (relay) await closeRelay(relay);
});

const base = (): string => httpUrl(relay!);
const port = (): number => Number(new URL(base()).port);

/** The push API's refusal: ntfy's shape, its number one of the error table's (or the status × 100 for a status the table lacks). */
const ErrorBody = z.object({ code: z.number().int(), http: z.number().int(), error: z.string(), field: z.string().optional() }).strict();
const knownCode = (code: number, status: number): boolean =>
  code === status * 100 || Object.values(ERRORS).some((spec) => 'ntfy' in spec && spec.ntfy === code && spec.http === status);

function checkMessages(body: Buffer, format: string, shown: string): void {
  const lines = body.toString('utf8').split('\n');
  const json = format === 'json' ? lines.filter(Boolean) : lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice('data: '.length));
  for (const line of json) {
    const parsed = PushMessage.safeParse(JSON.parse(line));
    expect(parsed.success, `a cached message that is not a push message: ${line.slice(0, 300)} ${shown}`).toBe(true);
  }
}

function checkAnswer(request: PushRequest, bytes: Buffer, response: RawResponse): void {
  const { status, body } = response;
  const shown = `(${status} ${body.toString('utf8').slice(0, 200)}) for ${JSON.stringify(request).slice(0, 500)}`;
  expect(status, `a server error ${shown}`).toBeLessThan(500);
  const shape = classify(bytes, request.endpoint === 'ws');
  // Refused by Node's HTTP parser before any route runs: only the status is the relay's to give.
  if (shape === 'not-http') return void expect(status, `not HTTP, yet not refused ${shown}`).toBeGreaterThanOrEqual(400);
  if (shape === 'either') return;
  if (request.endpoint === 'ws' && status === 101) return;
  if (status >= 400) {
    const parsed = ErrorBody.safeParse(JSON.parse(body.toString('utf8') || 'null'));
    expect(parsed.success, `a refusal that is not the push API's JSON ${shown}`).toBe(true);
    expect(parsed.data?.http, shown).toBe(status);
    expect(knownCode(parsed.data?.code ?? 0, status), `an unknown error number ${shown}`).toBe(true);
    return;
  }
  expect(status, shown).toBeGreaterThanOrEqual(200);
  expect(status, shown).toBeLessThan(300);
  if (request.endpoint === 'poll') {
    const format = /^\/[^?]*\/(json|raw|sse)\?/.exec(request.target)?.[1] ?? 'raw';
    if (format !== 'raw') checkMessages(body, format, shown);
  } else if (request.endpoint !== 'ws') {
    // A publish answers with the message as stored: what every subscriber will be sent.
    const parsed = PushMessage.safeParse(JSON.parse(body.toString('utf8')));
    expect(parsed.success, `a published message that is not a push message: ${parsed.error?.message} ${shown}`).toBe(true);
  }
}

/**
 * Topics whose polls another route answers (/file/<name>): publishing to them works, polling them
 * over HTTP never did, so they are no test of whether the relay still serves.
 */
const SHADOWED_TOPICS = new Set(['file']);

/** The topic a request was about, when it named a valid one; else the honest topic. */
function topicOf(request: PushRequest): string {
  const valid = (topic: unknown): topic is string => typeof topic === 'string' && TOPIC_PATTERN.test(topic) && !SHADOWED_TOPICS.has(topic);
  const fromPath = /^\/([^/?]*)/.exec(request.target)?.[1]?.split(',')[0] ?? '';
  if (valid(fromPath)) return fromPath;
  try {
    const fromBody = (JSON.parse(request.body ?? '') as { topic?: unknown }).topic;
    if (valid(fromBody)) return fromBody;
  } catch {
    // Not JSON: the honest topic it is.
  }
  return 'honest';
}

/** An honest publish is taken, and a poll of the topic answers with it and with only valid messages. */
async function stillServes(topic: string): Promise<void> {
  const text = `honest ${++counter}`;
  const published = await fetch(`${base()}/${topic}`, { method: 'PUT', body: text });
  expect(published.status, `an honest publish to ${topic}`).toBe(200);
  const latest = await fetch(`${base()}/${topic}/json?poll=1&since=latest`);
  expect(latest.status, `an honest poll of ${topic}`).toBe(200);
  expect((await latest.text()).includes(JSON.stringify(text)), `the honest message in the poll of ${topic}`).toBe(true);
  const all = await fetch(`${base()}/${topic}/json?poll=1&since=all`);
  const body = Buffer.from(await all.arrayBuffer());
  expect(all.status, `an honest poll of everything cached for ${topic}: ${body.toString('utf8').slice(0, 200)}`).toBe(200);
  checkMessages(body, 'json', `in ${topic}`);
}

async function runCase(request: PushRequest): Promise<void> {
  const bytes = requestBytes(request, port());
  const outcome = await rawExchange(port(), bytes, ANSWER_TIMEOUT_MS);
  const shown = JSON.stringify(request).slice(0, 500);
  if ('timedOut' in outcome) throw new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms: ${shown}`);
  if ('closedWithoutAnswer' in outcome) throw new Error(`the connection closed without an answer: ${shown}`);
  if (outcome.response.status !== 101) {
    // Asked to close (Connection: close, or an upgrade refused): a connection left open is a descriptor the relay never gets back.
    expect(outcome.closed, `the relay kept the connection open after answering ${outcome.response.status}: ${shown}`).toBe(true);
  }
  checkAnswer(request, bytes, outcome.response);
  await stillServes(topicOf(request));
}

const corpus = readCorpus('push', PushCase);
const examplesFor = (endpoint: Endpoint): [PushRequest][] => corpus.filter((c) => c.request.endpoint === endpoint).map((c) => [c.request]);

describe('fuzzed push API requests', () => {
  it('reads every corpus case', () => {
    expect(corpus.length).toBeGreaterThan(0);
  });

  for (const endpoint of ENDPOINTS) {
    it(`answers every "${endpoint}" request with a success or a JSON refusal, never a 5xx, and keeps serving`, async () => {
      await fc.assert(fc.asyncProperty(REQUESTS[endpoint], runCase), { seed: FUZZ_SEED, numRuns: RUNS, examples: examplesFor(endpoint) });
    }, timeoutFor(RUNS, 60));
  }

  it('starts again on everything the fuzzing stored, and serves every topic', async () => {
    const before = relay!;
    relay = undefined;
    await closeRelay(before);
    relay = await testRelay(dataDir, 0, { config: CONFIG });
    for (const topic of TOPICS) await stillServes(topic);
  });
});
