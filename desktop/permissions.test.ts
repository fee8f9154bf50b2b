import { describe, expect, it } from 'vitest';
import { allowPermission, type PermissionAsk } from './permissions.js';

const microphone: PermissionAsk = {
  permission: 'media',
  origin: 'app://warbler/index.html',
  securityOrigin: 'app://warbler',
  mediaTypes: ['audio'],
  isMainFrame: true,
  pageUrl: 'app://warbler/index.html',
};

describe('web permissions of the app\'s page', () => {
  it('the microphone, asked by the app\'s own page, is allowed (request and check alike)', () => {
    expect(allowPermission(microphone)).toBe(true);
    // A check names the origin only, and no page when not made for a document.
    expect(allowPermission({ permission: 'media', origin: 'app://warbler', mediaTypes: ['audio'], isMainFrame: true })).toBe(true);
  });

  it('the camera, or the camera with the microphone, or media of no stated type, is refused', () => {
    for (const mediaTypes of [['video'], ['audio', 'video'], ['video', 'audio'], ['audio', 'audio'], [], ['unknown'], undefined]) {
      expect(allowPermission({ ...microphone, mediaTypes }), JSON.stringify(mediaTypes)).toBe(false);
    }
  });

  it('no other page gets the microphone: another origin, a frame, a page navigated elsewhere', () => {
    for (const origin of ['https://evil.example', 'app://evil', 'file:///index.html', 'http://127.0.0.1:7878', 'null', '', undefined]) {
      expect(allowPermission({ ...microphone, origin }), String(origin)).toBe(false);
    }
    expect(allowPermission({ ...microphone, securityOrigin: 'https://evil.example' })).toBe(false);
    expect(allowPermission({ ...microphone, isMainFrame: false })).toBe(false);
    expect(allowPermission({ ...microphone, pageUrl: 'https://evil.example/' })).toBe(false);
  });

  it('every other permission stays refused, even for the app\'s own page', () => {
    const others = [
      'notifications', 'geolocation', 'midi', 'midiSysex', 'clipboard-read', 'clipboard-sanitized-write', 'display-capture',
      'fullscreen', 'pointerLock', 'openExternal', 'hid', 'serial', 'usb', 'idle-detection', 'window-management',
      'fileSystem', 'storage-access', 'speaker-selection', 'mediaKeySystem', 'unknown',
    ];
    for (const permission of others) expect(allowPermission({ ...microphone, permission }), permission).toBe(false);
  });
});
