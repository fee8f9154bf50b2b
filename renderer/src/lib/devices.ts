// This account's devices as a person sees them: a short fingerprint of each key, this device first.
import type { DeviceInfo } from '../../../shared/ipc.js';

const FINGERPRINT_CHARS = 8;
const FINGERPRINT_GROUP = 4;

/**
 * The first characters of a device key, grouped: "AbCd EfGh". Enough to tell a handful of devices
 * apart; the key is base64url, so case matters and '-' or '_' may appear (hence a space between groups).
 */
export function deviceFingerprint(deviceKey: string): string {
  const head = deviceKey.slice(0, FINGERPRINT_CHARS);
  const groups: string[] = [];
  for (let at = 0; at < head.length; at += FINGERPRINT_GROUP) groups.push(head.slice(at, at + FINGERPRINT_GROUP));
  return groups.join(' ');
}

/** This device first, then the others in a stable order (the list does not jump between refreshes). */
export function sortDevices(devices: readonly DeviceInfo[]): DeviceInfo[] {
  return [...devices].sort(
    (a, b) => Number(b.current) - Number(a.current) || (a.deviceKey < b.deviceKey ? -1 : a.deviceKey > b.deviceKey ? 1 : 0),
  );
}
