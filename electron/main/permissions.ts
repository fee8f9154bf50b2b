// Electron's side of desktop/permissions.ts: every permission request and check of the default
// session goes through allowPermission (the microphone for the app's own page, nothing else), and
// no device (HID, USB, serial) is ever granted.
import { session, type WebContents } from 'electron';
import { allowPermission } from '../../desktop/permissions.js';

/** Frames' page URL; a WebContents gone or mid-teardown answers '' (refused). */
function pageUrlOf(contents: WebContents | null): string | undefined {
  if (!contents) return undefined;
  try {
    return contents.isDestroyed() ? '' : contents.getURL();
  } catch {
    return '';
  }
}

export function guardPermissions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(
      allowPermission({
        permission,
        origin: details.requestingUrl,
        securityOrigin: 'securityOrigin' in details ? details.securityOrigin : undefined,
        mediaTypes: 'mediaTypes' in details ? details.mediaTypes : undefined,
        isMainFrame: details.isMainFrame,
        pageUrl: pageUrlOf(contents),
      }),
    );
  });
  ses.setPermissionCheckHandler((contents, permission, requestingOrigin, details) =>
    allowPermission({
      permission,
      origin: requestingOrigin,
      securityOrigin: details.securityOrigin,
      mediaTypes: details.mediaType === undefined ? undefined : [details.mediaType],
      isMainFrame: details.isMainFrame,
      pageUrl: pageUrlOf(contents),
    }),
  );
  ses.setDevicePermissionHandler(() => false);
}
