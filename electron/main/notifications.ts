import { Notification, type BrowserWindow } from 'electron';
import type { WarblerClient } from '../core/client.js';
import { NoticePolicy, pushNotice, type Notice } from '../core/notices.js';
import type { ClientService } from '../core/service.js';
import { focusWindow } from './window.js';

/** OS notifications for messages that arrive while the window is not focused; a click opens the conversation. */
export function notifyIncoming(service: ClientService, win: BrowserWindow, client: WarblerClient): void {
  const policy = new NoticePolicy();
  const show = (notice: Notice | null) => {
    if (!notice || win.isFocused() || !Notification.isSupported()) return;
    const notification = new Notification({ title: notice.title, body: notice.body });
    notification.on('click', () => {
      focusWindow(win);
      service.emit('event', { event: 'open-conversation', payload: { conversationId: notice.conversationId } });
    });
    notification.show();
  };
  client.on('state', (state) => policy.onState(state));
  client.on('received', (message) => show(policy.onReceived(message)));
  client.on('drained', () => show(policy.onDrained()));
  client.on('push', (item) => {
    const notice = pushNotice(item, client.pushes.subscription(item.topic));
    if (!notice || win.isFocused() || !Notification.isSupported()) return;
    const notification = new Notification({ title: notice.title, body: notice.body, urgency: item.priority >= 5 ? 'critical' : 'normal' });
    notification.on('click', () => {
      focusWindow(win);
      service.emit('event', { event: 'open-push', payload: { id: notice.pushId } });
    });
    notification.show();
  });
}
