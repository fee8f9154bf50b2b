// How the one IPC contract (ipc.ts) travels: the web host's bridge frames (browser shim ↔ host over
// a loopback WebSocket) and Electron's two channels, inside which the contract's channel names travel.
import { z } from 'zod';
import { IpcError } from './errors.js';
import type { EventChannel, EventPayload } from './ipc.js';

// ---- the web host's bridge frames (browser shim ↔ host over a loopback WebSocket) -------------

export const BRIDGE_PATH = '/bridge';
export const BridgeRequest = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().max(64),
  request: z.unknown(),
});
export const BridgeReply = z.union([
  z.object({ kind: z.literal('reply'), id: z.number().int(), ok: z.literal(true), response: z.unknown() }),
  z.object({ kind: z.literal('reply'), id: z.number().int(), ok: z.literal(false), error: IpcError }),
  z.object({ kind: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type BridgeReply = z.infer<typeof BridgeReply>;

// ---- Electron's transport: two IPC channels; the contract's channel names travel inside them --

export const ELECTRON_INVOKE = 'warbler:invoke';
export const ELECTRON_EVENT = 'warbler:event';

/** What an invoke returns over either transport: errors travel as data, with a code. */
export type IpcOutcome = { ok: true; response: unknown } | { ok: false; error: IpcError };
export type IpcEventMessage = { [E in EventChannel]: { event: E; payload: EventPayload<E> } }[EventChannel];
