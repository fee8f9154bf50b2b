// Who may call into the main process: the app's own top frame in the app's own window, nothing
// else (no other window, no iframe, no page that got navigated elsewhere).
import { isAppUrl } from './app-url.js';

export interface IpcSender {
  /** The calling WebContents. */
  sender: unknown;
  /** The calling frame; null once it is gone. */
  senderFrame: { url: string; parent: unknown } | null;
}

export function isTrustedSender(event: IpcSender, appContents: unknown): boolean {
  const frame = event.senderFrame;
  return appContents !== undefined && event.sender === appContents && frame !== null && frame.parent === null && isAppUrl(frame.url);
}
