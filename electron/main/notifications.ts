// OS notifications through Electron's Notification: the notifier (desktop/) decides.
import { Notification } from 'electron';
import type { NotificationRequest, NotificationSink, ShownNotification } from '../../desktop/notifier.js';

export class ElectronNotificationSink implements NotificationSink {
  /** Electron drops a Notification that nothing references before it is clicked: keep them. */
  private readonly live = new Set<Notification>();

  show(request: NotificationRequest): ShownNotification {
    if (!Notification.isSupported()) return { close: () => undefined };
    // One tag per conversation or push: Windows and macOS replace a notification with the same id.
    const tag = 'conversationId' in request.target ? `chat:${request.target.conversationId}` : `push:${request.target.pushId}`;
    const notification = new Notification({
      id: tag,
      title: request.title,
      body: request.body,
      silent: request.silent,
      urgency: request.urgency,
      timeoutType: request.urgency === 'critical' ? 'never' : 'default',
    });
    this.live.add(notification);
    let done = false;
    const finish = () => {
      done = true;
      this.live.delete(notification);
    };
    notification.on('click', () => {
      finish();
      request.onClick();
    });
    notification.on('close', (event: Electron.Event<Electron.NotificationCloseEventParams>) => {
      // A Windows toast that times out stays in the Action Center, where a click still counts.
      if (done || (process.platform === 'win32' && event.reason === 'timedOut')) return;
      finish();
      request.onClose();
    });
    notification.show();
    return {
      close: () => {
        if (done) return;
        finish();
        notification.close();
      },
    };
  }
}
