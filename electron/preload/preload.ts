// The only bridge between the sandboxed renderer and the main process: window.warbler, the IPC
// contract of shared/ipc.ts, restricted to the channels that contract names; replies and events are
// checked against it (shared/ipc-check.ts) as the web shim checks them.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { z } from 'zod';
import {
  ELECTRON_EVENT,
  ELECTRON_INVOKE,
  isEventChannel,
  isInvokeChannel,
  type WarblerApi,
} from '../../shared/ipc.js';
import type { IpcError } from '../../shared/errors.js';
import { checkEvent, checkReply } from '../../shared/ipc-check.js';

// The page's CSP has no 'unsafe-eval': keep zod from probing `new Function` (a CSP violation report).
z.config({ jitless: true });

const listeners = new Map<string, Set<(payload: unknown) => void>>();

// Events reach the page as the contract says, as the web shim passes them: anything else is dropped.
ipcRenderer.on(ELECTRON_EVENT, (_event: IpcRendererEvent, message: unknown) => {
  const { event, payload } = (typeof message === 'object' && message !== null ? message : {}) as { event?: unknown; payload?: unknown };
  if (!isEventChannel(event)) return;
  const checked = checkEvent(event, payload);
  if (!checked) {
    console.warn(`warbler preload: ignoring a malformed '${event}' event`);
    return;
  }
  for (const listener of listeners.get(checked.event) ?? []) listener(checked.payload);
});

/**
 * A failed invoke reaches the page as a plain IpcError object, not an Error: contextBridge copies
 * only an Error's message, and the page needs the code and params to say what went wrong.
 */
function failure(error: IpcError): Promise<never> {
  return Promise.reject(error);
}

const api: WarblerApi = {
  async invoke(channel, request) {
    if (!isInvokeChannel(channel)) return failure({ code: 'unknown_channel', message: `unknown channel ${String(channel)}` });
    // The response as its channel's contract parses it, or the main process's IpcError; a reply
    // that matches neither is `bridge_bad_reply`.
    const outcome = checkReply(channel, await ipcRenderer.invoke(ELECTRON_INVOKE, channel, request));
    if (outcome.ok) return outcome.response as never;
    return failure(outcome.error);
  },
  on(event, listener) {
    if (!isEventChannel(event)) throw new Error(`unknown event ${String(event)}`);
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  },
};

contextBridge.exposeInMainWorld('warbler', api);
