// The desktop shell's side of the renderer: settings, in-page toasts (where no OS notification
// belongs to the app), and telling core what is in view.
import { create } from 'zustand';
import type { DesktopSettings, DesktopSettingsPatch, ShellCapabilities } from '../../shared/desktop-settings.js';
import type { EventPayload, InvokeResponse, LogsFolder } from '../../shared/ipc.js';

export type RelayInfo = InvokeResponse<'relay:info'>;
import { hasBridge, invoke, on } from './api.js';
import { KEPT_TOASTS, stays, TOAST_MS } from './lib/toast-stack.js';

export type Toast = EventPayload<'toast'>;

interface DesktopState {
  settings: DesktopSettings | null;
  capabilities: ShellCapabilities | null;
  toasts: Toast[];
  setSettings(settings: DesktopSettings, capabilities?: ShellCapabilities): void;
  addToast(toast: Toast): void;
  dropToast(id: string): void;
}

export const useDesktop = create<DesktopState>((set) => ({
  settings: null,
  capabilities: null,
  toasts: [],
  setSettings: (settings, capabilities) => set((s) => ({ settings, capabilities: capabilities ?? s.capabilities })),
  addToast: (toast) => {
    set((s) => ({ toasts: [...s.toasts.filter((t) => t.id !== toast.id), toast].slice(-KEPT_TOASTS) }));
    // Counted ones age too: a burst does not come back to the screen a stack at a time for minutes.
    if (!stays(toast)) setTimeout(() => desktop().dropToast(toast.id), TOAST_MS);
  },
  dropToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

const desktop = () => useDesktop.getState();

export async function loadSettings(): Promise<void> {
  const { settings, capabilities } = await invoke('settings:get', {});
  desktop().setSettings(settings, capabilities);
}

export async function updateSettings(patch: DesktopSettingsPatch): Promise<void> {
  desktop().setSettings(await invoke('settings:set', patch));
}

/** Where the host writes its log, and whether it can open that folder for the person. */
export function loadLogsFolder(): Promise<LogsFolder> {
  return invoke('app:logsFolder', {});
}

export function openLogsFolder(): Promise<LogsFolder> {
  return invoke('app:openLogsFolder', {});
}

export function loadRelayInfo(): Promise<RelayInfo> {
  return invoke('relay:info', {});
}

export function subscribeDesktopEvents(): (() => void)[] {
  if (!hasBridge()) return [];
  return [
    on('settings', (settings) => desktop().setSettings(settings)),
    on('toast', (toast) => desktop().addToast(toast)),
    on('toast-closed', ({ id }) => desktop().dropToast(id)),
  ];
}

let lastViewing = '';

/** Core needs this to leave the conversation in view out of notifications (only changes are sent). */
export function reportViewing(conversationId: string | null, focused: boolean): void {
  const key = `${conversationId ?? ''}|${focused}`;
  if (key === lastViewing || !hasBridge()) return;
  lastViewing = key;
  invoke('ui:viewing', { conversationId, focused }).catch((error: unknown) => console.warn('ui:viewing failed', error));
}
