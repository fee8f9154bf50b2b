// This account's devices: listed on demand, and another one can be unlinked.
import { invoke } from './api.js';
import { sortDevices } from './lib/devices.js';
import { useStore } from './store.js';

const state = () => useStore.getState();

export async function loadDevices(): Promise<void> {
  state().setDevices(sortDevices(await invoke('devices:list', {})));
}

/** The list shown may be out of date (a device was just linked): refresh it, if anyone looked at it. */
export function refreshDevicesQuietly(): void {
  if (state().devices === null) return;
  loadDevices().catch((error: unknown) => console.warn('loading devices failed', error));
}

/** Unlinks the device, then lists what is left (as core now sees it, not as assumed here). */
export async function removeDevice(deviceKey: string): Promise<void> {
  await invoke('devices:remove', { deviceKey });
  await loadDevices();
}
