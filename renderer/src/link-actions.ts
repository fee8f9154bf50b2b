// Device linking: a new device asks for a code; a device that has the account approves it by that code.
// The code's secret part lets core check that the device behind it is the one showing it.
import { invoke } from './api.js';
import { refreshDevicesQuietly } from './device-actions.js';
import { useStore } from './store.js';

/** New device: the code to show. Core emits 'profile' once another device approved it. */
export async function requestLinkCode(serverUrl: string): Promise<void> {
  const link = await invoke('account:link', { serverUrl: serverUrl.trim() });
  useStore.getState().setPendingLink(link);
}

/** Existing device: approve the new one showing this code (18 digits, normalized). */
export async function approveDevice(code: string): Promise<void> {
  await invoke('devices:approve', { code });
  refreshDevicesQuietly();
}
