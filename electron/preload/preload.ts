// The only bridge between the sandboxed renderer and the main process: window.warbler, the IPC
// contract of shared/ipc.ts, restricted to the channels that contract names; replies and events are
// checked against it (shared/ipc-check.ts) as the web shim checks them.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { z } from 'zod';
import { isEventChannel, isInvokeChannel, type WarblerApi } from '../../shared/ipc.js';
import { ELECTRON_EVENT, ELECTRON_INVOKE } from '../../shared/ipc-transport.js';
import type { IpcError } from '../../shared/errors.js';
import { checkEvent, checkReply } from '../../shared/ipc-check.js';
import { stageInPieces } from '../../shared/ipc-attachments.js';

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
  // The page's File (a Blob, which contextBridge copies) is read here in 1 MiB pieces, so the main
  // process never holds a whole file, and never a path the page could have named.
  stageAttachment: (file, options) => stageInPieces((channel, request) => api.invoke(channel, request), file, options),
  // Relative: the page is app://warbler/, whose protocol handler serves these from the profile.
  attachmentUrl: (id, opts) => `/attachments/${encodeURIComponent(id)}${opts?.download ? '?download=1' : ''}`,
};

contextBridge.exposeInMainWorld('warbler', api);
