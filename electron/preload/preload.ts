// The only bridge between the sandboxed renderer and the main process: window.warbler, the IPC
// contract of shared/ipc.ts, restricted to the channels that contract names.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  ELECTRON_EVENT,
  ELECTRON_INVOKE,
  isEventChannel,
  isInvokeChannel,
  type IpcEventMessage,
  type IpcOutcome,
  type WarblerApi,
} from '../../shared/ipc.js';

const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(ELECTRON_EVENT, (_event: IpcRendererEvent, message: IpcEventMessage) => {
  for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
});

const api: WarblerApi = {
  async invoke(channel, request) {
    if (!isInvokeChannel(channel)) throw new Error(`unknown channel ${String(channel)}`);
    const reply = (await ipcRenderer.invoke(ELECTRON_INVOKE, channel, request)) as IpcOutcome;
    if (reply.ok) return reply.response as never;
    throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
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
