// Which web permissions the app's page gets: the microphone, for voice notes, and nothing else.
// Only the app's own top frame (app://warbler) may have it, and only for audio alone: a request
// that also wants the camera is refused whole. Notifications are shown by the main process, not
// the page; geolocation, camera, MIDI, clipboard reading, screen capture, devices: all refused.
// The page holds the microphone only while recording (it stops every track when a note ends), and
// Electron asks this again on every getUserMedia: nothing is remembered between recordings.
import { isAppUrl } from './app-url.js';

/** A permission request (getUserMedia…) or check (Permissions API, enumerateDevices…), as Electron describes it. */
export interface PermissionAsk {
  /** Electron's permission name: 'media', 'geolocation', 'notifications', … */
  permission: string;
  /** The asking frame's URL or origin (request: requestingUrl; check: requestingOrigin). */
  origin: string | undefined;
  /** The asking frame's security origin, where Electron gives one (media); must be the app's too. */
  securityOrigin?: string | undefined;
  /** The media asked for: a request's mediaTypes, a check's [mediaType]. */
  mediaTypes?: readonly string[] | undefined;
  /** Whether it comes from the top frame (the app has no frames; nothing in one gets anything). */
  isMainFrame: boolean;
  /** The URL of the page the frame is in, where known: must be the app itself. */
  pageUrl?: string | undefined;
}

export function allowPermission(ask: PermissionAsk): boolean {
  if (ask.permission !== 'media') return false;
  if (!ask.isMainFrame) return false;
  if (ask.origin === undefined || !isAppUrl(ask.origin)) return false;
  if (ask.securityOrigin !== undefined && !isAppUrl(ask.securityOrigin)) return false;
  if (ask.pageUrl !== undefined && !isAppUrl(ask.pageUrl)) return false;
  const media = ask.mediaTypes ?? [];
  return media.length === 1 && media[0] === 'audio';
}
