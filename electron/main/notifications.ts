// OS notifications through Electron's Notification: the notifier (electron/shell) decides.
import { Notification } from 'electron';
import type { NotificationRequest, NotificationSink, ShownNotification } from '../shell/notifier.js';

export class ElectronNotificationSink implements NotificationSink {
  /** Electron drops a Notification that nothing references before it is clicked: keep them. */
  private readonly live = new Set<Notification>();

  show(request: NotificationRequest): ShownNotification {
    if (!Notification.isSupported()) return { close: () => undefined };
    const notification = new Notification({
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
    notification.on('close', () => {
      if (done) return;
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
