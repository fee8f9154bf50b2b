import { Notification, type BrowserWindow } from 'electron';
import type { ChatMessage } from '../../shared/ipc.js';
import type { ClientService } from '../core/service.js';
import { focusWindow } from './window.js';

/** An OS notification for a message that arrives while the window is not focused; a click opens it. */
export function notifyIncoming(service: ClientService, win: BrowserWindow, message: ChatMessage): void {
  if (message.outgoing || win.isFocused() || !Notification.isSupported()) return;
  const notification = new Notification({ title: message.sender, body: message.text.slice(0, 200) });
  notification.on('click', () => {
    focusWindow(win);
    service.emit('event', { event: 'open-conversation', payload: { conversationId: message.conversationId } });
  });
  notification.show();
}
