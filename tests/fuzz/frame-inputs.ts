// What the frame fuzzer sends a relay: each frame type's honest frame with a few of its fields
// broken (wrong shapes, huge or empty strings, edge numbers, extra fields, deep nesting), frames
// built from a type's field names with any values, arbitrary JSON, and text or bytes that are not
// JSON at all. The corpus (corpus/frames) keeps inputs in this same form and replays through it.
import fc from 'fast-check';
import { z } from 'zod';
import { authPayload, certifyDevice, fromB64, generateIdentity, sign, toB64, type IdentityKeyPair, type LoginBinding } from '../../shared/crypto.js';
import { generateDhKeyPair } from '../../shared/e2e/primitives.js';
import { signPreKey } from '../../shared/e2e/x3dh.js';
import { ClientFrame, MAX_FRAME_BYTES, MAX_TEXT_BYTES, type ClientFrameType } from '../../shared/protocol.js';
import { registerFrame } from '../raw-socket.js';

/** Read from the protocol itself, so a frame type added later is fuzzed without anyone listing it here. */
export const FRAME_TYPES: ClientFrameType[] = ClientFrame.options.map((schema) => schema.shape.type.value);
const fieldsOf = (type: ClientFrameType): string[] => Object.keys(ClientFrame.options.find((s) => s.shape.type.value === type)?.shape ?? {});

export interface Party {
  identity: IdentityKeyPair;
  account: IdentityKeyPair;
  username: string;
}
/** What makes a frame valid on one socket: its challenge, and the accounts the relay knows. */
export interface FrameContext {
  binding: LoginBinding;
  /** The account the fuzzing socket logs in as. */
  self: Party;
  /** Another account: someone to send to, ask bundles of, approve a link for. */
  peer: Party;
  unique: () => string;
}

/**
 * Strings that stand for values only known on the socket (its signature, the accounts' keys): the
 * generators and the corpus use them, and toWire puts the real value in. `§x:N` is N × "x";
 * `§raw:TEXT` is TEXT written into the JSON as is (1e999, -0, NaN: numbers JSON.stringify never writes).
 */
const TOKEN_VALUES: Record<string, (ctx: FrameContext) => string> = {
  '§self.key': (c) => c.self.identity.publicKey,
  '§self.signature': (c) => sign(authPayload(c.binding, c.self.identity.publicKey), c.self.identity.secretKey),
  '§self.username': (c) => c.self.username,
  '§self.accountKey': (c) => c.self.account.publicKey,
  '§self.certificate': (c) => certifyDevice(c.self.identity.publicKey, c.self.account.secretKey),
  '§peer.key': (c) => c.peer.identity.publicKey,
  '§peer.username': (c) => c.peer.username,
  '§peer.certifiedBySelf': (c) => certifyDevice(c.peer.identity.publicKey, c.self.account.secretKey),
};
const TOKENS = Object.keys(TOKEN_VALUES);
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export type Mutation =
  | { op: 'set'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'extra'; at: number; key: string; value: unknown }
  | { op: 'nest'; at: number; depth: number; wrapper: 'array' | 'object' }
  | { op: 'repeat'; at: number; times: number }
  /** The field keeps its type and length and loses its meaning: a key nobody has, a signature that does not verify. */
  | { op: 'reshape'; at: number; seed: number };

/** `at` picks a field (or container, or array) of the frame by index, modulo how many it has. */
export type FrameInput =
  | { kind: 'recipe'; type: ClientFrameType; mutations: Mutation[] }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'binary'; base64: string }
  /** Sent as a text frame whatever the bytes are: invalid UTF-8 included. */
  | { kind: 'text-bytes'; base64: string };

const Index = z.number().int().nonnegative();
const MutationSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('set'), at: Index, value: z.unknown() }),
  z.object({ op: z.literal('delete'), at: Index }),
  z.object({ op: z.literal('extra'), at: Index, key: z.string(), value: z.unknown() }),
  z.object({ op: z.literal('nest'), at: Index, depth: Index, wrapper: z.enum(['array', 'object']) }),
  z.object({ op: z.literal('repeat'), at: Index, times: Index }),
  z.object({ op: z.literal('reshape'), at: Index, seed: Index }),
]);
const FrameInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('recipe'), type: z.enum(FRAME_TYPES as [ClientFrameType, ...ClientFrameType[]]), mutations: z.array(MutationSchema) }),
  z.object({ kind: z.literal('json'), value: z.unknown() }),
  z.object({ kind: z.literal('text'), text: z.string() }),
  z.object({ kind: z.literal('binary'), base64: z.string() }),
  z.object({ kind: z.literal('text-bytes'), base64: z.string() }),
]);
/** A corpus file: inputs sent one after another on one socket, before or after it logs in. */
export const FrameCase = z.object({
  about: z.string(),
  phase: z.enum(['before-login', 'after-login', 'both']),
  inputs: z.array(FrameInputSchema).min(1),
});

// ---- honest frames -------------------------------------------------------------------------------

function preKeysOf(identity: IdentityKeyPair) {
  const spk = generateDhKeyPair();
  return {
    signedPreKey: { id: 1, publicKey: toB64(spk.publicKey), signature: toB64(signPreKey(fromB64(identity.secretKey), spk.publicKey)) },
    oneTimePreKeys: [{ id: 2, publicKey: toB64(generateDhKeyPair().publicKey) }],
  };
}

/** A frame of each type that the relay takes as valid (what it then answers depends on the state). */
export const HONEST: { [T in ClientFrameType]: (ctx: FrameContext) => Record<string, unknown> } = {
  register: (ctx) => registerFrame(ctx.binding, `fz${ctx.unique()}`, generateIdentity()),
  auth: (ctx) => ({ type: 'auth', id: 'auth', identityKey: ctx.self.identity.publicKey, signature: TOKEN_VALUES['§self.signature']!(ctx) }),
  devices: (ctx) => ({ type: 'devices', id: 'devices', username: ctx.peer.username }),
  send: (ctx) => ({
    type: 'send',
    id: 'send',
    messageId: `fz${ctx.unique()}`.padEnd(22, 'A'),
    recipients: [ctx.peer.username],
    envelopes: [{ device: ctx.peer.identity.publicKey, sealed: { kind: 'ratchet', body: 'QUJD' } }],
  }),
  ack: () => ({ type: 'ack', id: 'ack', seqs: [1] }),
  ping: () => ({ type: 'ping', id: 'ping' }),
  presence: () => ({ type: 'presence', id: 'presence', state: 'away', hidden: false }),
  'presence-withdraw': (ctx) => ({ type: 'presence-withdraw', id: 'presence-withdraw', usernames: [ctx.peer.username] }),
  'link-request': (ctx) => {
    const device = generateIdentity();
    return {
      type: 'link-request',
      id: 'link-request',
      identityKey: device.publicKey,
      signature: sign(authPayload(ctx.binding, device.publicKey), device.secretKey),
      preKeys: preKeysOf(device),
      proof: 'P'.repeat(43),
    };
  },
  'link-lookup': () => ({ type: 'link-lookup', id: 'link-lookup', linkId: '12345678' }),
  'link-approve': (ctx) => ({
    type: 'link-approve',
    id: 'link-approve',
    linkId: '12345678',
    certificate: TOKEN_VALUES['§peer.certifiedBySelf']!(ctx),
    sealedAccount: 'S'.repeat(120),
    confirmation: 'C'.repeat(43),
  }),
  prekeys: (ctx) => ({ type: 'prekeys', id: 'prekeys', ...preKeysOf(ctx.self.identity) }),
  bundles: (ctx) => ({ type: 'bundles', id: 'bundles', username: ctx.peer.username, devices: [ctx.peer.identity.publicKey] }),
  'device-remove': () => ({ type: 'device-remove', id: 'device-remove', device: generateIdentity().publicKey }),
  'push-subscribe': () => ({ type: 'push-subscribe', id: 'push-subscribe', topics: [{ topic: 'fuzz', after: null }] }),
  'push-unsubscribe': () => ({ type: 'push-unsubscribe', id: 'push-unsubscribe', topics: ['fuzz'] }),
  'blob-token': () => ({ type: 'blob-token', id: 'blob-token' }),
  'blob-keep': () => ({ type: 'blob-keep', id: 'blob-keep', blobs: ['AAAAAAAAAAAAAAAAAAAAAA'] }),
};

// ---- applying mutations --------------------------------------------------------------------------

type Path = (string | number)[];
type Node = { path: Path; value: unknown };
const isContainer = (v: unknown): v is Record<string, unknown> | unknown[] => typeof v === 'object' && v !== null;

function nodesOf(value: unknown, path: Path = [], out: Node[] = []): Node[] {
  out.push({ path, value });
  if (Array.isArray(value)) value.forEach((v, i) => nodesOf(v, [...path, i], out));
  else if (isContainer(value)) for (const [key, v] of Object.entries(value)) nodesOf(v, [...path, key], out);
  return out;
}

/** Defines rather than assigns: a key "__proto__" becomes a field of the frame, not its prototype. */
function put(container: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  if (Array.isArray(container) && typeof key === 'number') container[key] = value;
  else Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
}

function parentOf(root: unknown, path: Path): Record<string, unknown> | unknown[] | undefined {
  let node = root;
  for (const key of path.slice(0, -1)) node = isContainer(node) ? (node as Record<string, unknown>)[key] : undefined;
  return isContainer(node) ? node : undefined;
}

function wrap(value: unknown, depth: number, wrapper: 'array' | 'object'): unknown {
  let out = value;
  for (let i = 0; i < depth; i++) out = wrapper === 'array' ? [out] : { n: out };
  return out;
}

/** A value like `value` (same type, same length) made from `seed`. */
function reshaped(value: unknown, seed: number): unknown {
  let x = seed >>> 0;
  const next = () => (x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0) >>> 16;
  if (typeof value === 'string') return Array.from(value, () => B64URL[next() % B64URL.length]).join('');
  if (typeof value === 'number') return [0, 1, value + 1, 2 ** 31 - 1, seed][next() % 5];
  if (typeof value === 'boolean') return !value;
  return value;
}

function mutate(frame: Record<string, unknown>, m: Mutation): void {
  const nodes = nodesOf(frame);
  const fields = nodes.filter((n) => n.path.length > 0);
  const pick = <T>(list: T[]): T | undefined => (list.length === 0 ? undefined : list[m.at % list.length]);
  const at = (list: Node[], change: (parent: Record<string, unknown> | unknown[], key: string | number, node: Node) => void) => {
    const node = pick(list);
    const parent = node && parentOf(frame, node.path);
    if (node && parent) change(parent, node.path[node.path.length - 1]!, node);
  };
  switch (m.op) {
    case 'set':
      return at(fields, (parent, key) => put(parent, key, m.value));
    case 'delete':
      return at(fields, (parent, key) => {
        if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
        else delete (parent as Record<string, unknown>)[key];
      });
    case 'extra': {
      const container = pick(nodes.filter((n) => isContainer(n.value)))?.value as Record<string, unknown> | unknown[];
      if (Array.isArray(container)) container.push(m.value);
      else put(container, m.key, m.value);
      return;
    }
    case 'nest':
      return at(fields, (parent, key, node) => put(parent, key, wrap(node.value, m.depth, m.wrapper)));
    case 'reshape':
      return at(fields, (parent, key, node) => put(parent, key, reshaped(node.value, m.seed)));
    case 'repeat':
      return at(
        fields.filter((n) => Array.isArray(n.value)),
        (parent, key, node) => {
          const items = node.value as unknown[];
          put(parent, key, Array.from({ length: m.times }, (_, i) => structuredClone(items.length > 0 ? items[i % items.length] : i)));
        },
      );
  }
}

function resolve(value: unknown, ctx: FrameContext): unknown {
  if (typeof value === 'string') {
    // hasOwn: "__proto__" and "constructor" are values the fuzzer sends, not tokens.
    if (Object.hasOwn(TOKEN_VALUES, value)) return TOKEN_VALUES[value]!(ctx);
    const repeat = /^§x:(\d+)$/.exec(value);
    return repeat ? 'x'.repeat(Math.min(Number(repeat[1]), 4 * MAX_FRAME_BYTES)) : value;
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, ctx));
  if (!isContainer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) put(out, key, resolve(v, ctx));
  return out;
}

const stringify = (value: unknown): string => (JSON.stringify(value) ?? 'null').replace(/"§raw:([^"\\]*)"/g, '$1');

/** One input as it goes over the socket, with what its answer is checked against. */
export interface WireFrame {
  data: Buffer;
  binary: boolean;
  /** The JSON the relay reads from it; undefined when it is not JSON. */
  parsed: unknown;
  validUtf8: boolean;
}

export function toWire(input: FrameInput, ctx: FrameContext): WireFrame {
  let data: Buffer;
  if (input.kind === 'binary' || input.kind === 'text-bytes') data = Buffer.from(input.base64, 'base64');
  else if (input.kind === 'text') data = Buffer.from(input.text, 'utf8');
  else if (input.kind === 'json') data = Buffer.from(stringify(resolve(input.value, ctx)), 'utf8');
  else {
    const frame = HONEST[input.type](ctx);
    for (const m of input.mutations) mutate(frame, m.op === 'set' || m.op === 'extra' ? { ...m, value: resolve(m.value, ctx) } : m);
    data = Buffer.from(stringify(frame), 'utf8');
  }
  const validUtf8 = Buffer.from(data.toString('utf8'), 'utf8').equals(data);
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  return { data, binary: input.kind === 'binary', parsed, validUtf8 };
}

// ---- generators ----------------------------------------------------------------------------------

/** Lengths either side of the protocol's own: ids 1–64, keys 43, signatures 86, message ids 16–64… */
const EDGE_LENGTHS = [0, 1, 15, 16, 31, 32, 33, 42, 43, 44, 63, 64, 65, 85, 86, 87, 99, 100, 200, 201];
const EDGE_NUMBERS = [0, -0, 1, -1, 0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e21, 1e308, -1e308, 5e-324, 1000, 1001, 4096, 4097];
/** Written into the JSON text as is: the last ones make it invalid JSON. */
const RAW_NUMBERS = ['1e999', '-1e999', '-0', '1E400', '1e-400', '123456789012345678901234567890', '0.10000000000000000000001', 'NaN', 'Infinity', '-Infinity', '01', '+1', '.5', '0x10'];
const NASTY = [
  '', ' ', '\u0000', '\ud800', '\udfff', '\u202e', '\ufeff', '\u200b', '🐦', 'ａｌｉｃｅ', 'alice\u0000', ' ALICE ', '__proto__', 'constructor',
  'toString', 'null', 'true', '[]', '{}', '../../etc/passwd', '%00', '\\', '"', 'A'.repeat(43) + '=', 'ratchet', 'box', 'online', 'offline',
];
export const FIELD_NAMES = [...new Set([...FRAME_TYPES.flatMap(fieldsOf), 'kind', 'sealed', 'body', 'nonce', 'preKey', 'after', 'topic', 'publicKey'])];

const stringValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.constantFrom(...TOKENS) },
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_LENGTHS).chain((n) => fc.string({ unit: fc.constantFrom(...B64URL), minLength: n, maxLength: n })) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z][a-z0-9_.-]{0,33}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[0-9]{7,9}$/) },
  { weight: 1, arbitrary: fc.constantFrom(MAX_TEXT_BYTES + 1, 70_000, MAX_FRAME_BYTES - 512, MAX_FRAME_BYTES + 1).map((n) => `§x:${n}`) },
);
const numberValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...EDGE_NUMBERS),
  fc.integer(),
  fc.double(),
  fc.constantFrom(...RAW_NUMBERS).map((t) => `§raw:${t}`),
);
const keyValue = fc.oneof(fc.constantFrom(...FIELD_NAMES, '__proto__', 'constructor', ''), fc.string({ maxLength: 10 }));
const scalar = fc.oneof(stringValue, numberValue, fc.constantFrom(true, false, null));
/** An object made field by field, so "__proto__" is a key like any other. */
const objectOf = (value: fc.Arbitrary<unknown>) =>
  fc.array(fc.tuple(keyValue, value), { maxLength: 4 }).map((entries) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) put(out, k, v);
    return out;
  });
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: stringValue },
  { weight: 3, arbitrary: numberValue },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 5 }) },
  { weight: 1, arbitrary: objectOf(scalar) },
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: anyValue }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('reshape' as const), at: fc.nat(), seed: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('extra' as const), at: fc.nat(), key: keyValue, value: anyValue }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('nest' as const),
      at: fc.nat(),
      depth: fc.oneof(fc.constantFrom(13, 14, 15, 16), fc.integer({ min: 1, max: 64 })),
      wrapper: fc.constantFrom('array' as const, 'object' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), times: fc.constantFrom(0, 2, 21, 65, 101, 257, 1001, 4097) }) },
);

/** Frames of one type: its honest frame mutated, or its field names with any values. */
export function frameOfType(type: ClientFrameType): fc.Arbitrary<FrameInput> {
  const fields = fieldsOf(type).filter((f) => f !== 'type');
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('recipe' as const), type: fc.constant(type), mutations: fc.array(mutation, { maxLength: 3 }) }) },
    {
      weight: 1,
      arbitrary: fc.array(fc.tuple(fc.constantFrom(...fields), anyValue), { maxLength: fields.length + 1 }).map((entries): FrameInput => {
        const value: Record<string, unknown> = { type };
        for (const [k, v] of entries) put(value, k, v);
        return { kind: 'json', value };
      }),
    },
  );
}

/** Anything at all: JSON of any shape, a frame with any type, broken JSON text, bytes. */
export const anyInput: fc.Arbitrary<FrameInput> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((value): FrameInput => ({ kind: 'json', value })) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.oneof(fc.constantFrom(...FRAME_TYPES), stringValue, anyValue), anyValue, objectOf(anyValue)).map(([type, id, rest]): FrameInput => ({
      kind: 'json',
      value: Object.assign(rest, { type, id }),
    })),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...FRAME_TYPES), fc.nat(), fc.nat({ max: 3 }), fc.string({ unit: 'binary', maxLength: 4 })).map(([type, at, cut, insert]): FrameInput => {
      const text = JSON.stringify({ type, id: 'broken', seqs: [1, 2], topics: [{ topic: 'a', after: null }] });
      const i = at % (text.length + 1);
      return { kind: 'text', text: text.slice(0, i) + insert + text.slice(i + cut) };
    }),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map((text): FrameInput => ({ kind: 'text', text })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b): FrameInput => ({ kind: 'binary', base64: Buffer.from(b).toString('base64') })) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b): FrameInput => ({ kind: 'text-bytes', base64: Buffer.from(b).toString('base64') })) },
);
