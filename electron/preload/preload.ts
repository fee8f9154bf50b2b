// The only bridge between the sandboxed renderer and the main process: window.warbler, the IPC
// contract of shared/ipc.ts, restricted to the channels that contract names.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { z } from 'zod';
import {
  ELECTRON_EVENT,
  ELECTRON_INVOKE,
  IpcError,
  isEventChannel,
  isInvokeChannel,
  type IpcEventMessage,
  type IpcOutcome,
  type WarblerApi,
} from '../../shared/ipc.js';

// The page's CSP has no 'unsafe-eval': keep zod from probing `new Function` (a CSP violation report).
z.config({ jitless: true });

const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(ELECTRON_EVENT, (_event: IpcRendererEvent, message: IpcEventMessage) => {
  for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
});

/**
 * A failed invoke reaches the page as a plain IpcError object, not an Error: contextBridge copies
 * only an Error's message, and the page needs the code and params to say what went wrong.
 */
function failure(error: unknown): Promise<never> {
  const parsed = IpcError.safeParse(error);
  return Promise.reject(parsed.success ? parsed.data : { code: 'bridge_bad_reply', message: 'the main process sent an error that does not match the contract' });
}

const api: WarblerApi = {
  async invoke(channel, request) {
    if (!isInvokeChannel(channel)) return failure({ code: 'unknown_channel', message: `unknown channel ${String(channel)}` });
    const reply = (await ipcRenderer.invoke(ELECTRON_INVOKE, channel, request)) as IpcOutcome;
    if (reply.ok) return reply.response as never;
    return failure(reply.error);
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
