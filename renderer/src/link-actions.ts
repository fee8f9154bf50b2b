// Device linking: a new device asks for a code; a device that has the account finds it by that code,
// the person compares its fingerprint on both screens, then approves exactly that device.
import { invoke } from './api.js';
import { refreshDevicesQuietly } from './device-actions.js';
import { useStore } from './store.js';

/** New device: the code (and fingerprint) to show. Core emits 'profile' once another device approved it. */
export async function requestLinkCode(serverUrl: string): Promise<void> {
  const link = await invoke('account:link', { serverUrl: serverUrl.trim() });
  useStore.getState().setPendingLink(link);
}

/** A device waiting behind a link code, as the relay named it: to be confirmed by its fingerprint. */
export interface WaitingDevice {
  /** The code it was found by (8 digits, normalized). */
  code: string;
  deviceKey: string;
  fingerprint: string;
}

/** Existing device: which device waits behind this code (8 digits, normalized). */
export async function lookupDevice(code: string): Promise<WaitingDevice> {
  const { deviceKey, fingerprint } = await invoke('devices:lookup', { code });
  return { code, deviceKey, fingerprint };
}

/** Approves the device the person confirmed: core refuses if another key now waits behind the code. */
export async function approveDevice(device: WaitingDevice): Promise<void> {
  await invoke('devices:approve', { code: device.code, deviceKey: device.deviceKey });
  refreshDevicesQuietly();
}
