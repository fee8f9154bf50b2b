// What both bridges to the page (electron/preload and web/shim) do with what their host sends: check
// it against the contract of ./ipc.ts, so the page only ever sees what the contract says it gets.
import {
  eventContract,
  invokeContract,
  isEventChannel,
  type InvokeChannel,
} from './ipc.js';
import type { IpcEventMessage, IpcOutcome } from './ipc-transport.js';
import { IpcError } from './errors.js';

const badReply = (message: string): IpcOutcome => ({ ok: false, error: { code: 'bridge_bad_reply', message } });

/**
 * An invoke's reply, checked: the response as its channel's contract parses it, or the host's
 * IpcError. Anything else (a response or an error the contract does not allow) is `bridge_bad_reply`.
 */
export function checkReply(channel: InvokeChannel, reply: unknown): IpcOutcome {
  const outcome = (typeof reply === 'object' && reply !== null ? reply : {}) as { ok?: unknown; response?: unknown; error?: unknown };
  if (outcome.ok === true) {
    const response = invokeContract[channel].response.safeParse(outcome.response);
    return response.success ? { ok: true, response: response.data } : badReply(`malformed reply to ${channel}`);
  }
  if (outcome.ok === false) {
    const error = IpcError.safeParse(outcome.error);
    return error.success ? { ok: false, error: error.data } : badReply(`malformed error in the reply to ${channel}`);
  }
  return badReply(`malformed reply to ${channel}`);
}

/** An event, checked: its payload as the contract parses it; null for an event the contract does not name or a malformed payload. */
export function checkEvent(event: unknown, payload: unknown): IpcEventMessage | null {
  if (!isEventChannel(event)) return null;
  const parsed = eventContract[event].safeParse(payload);
  return parsed.success ? ({ event, payload: parsed.data } as IpcEventMessage) : null;
}
