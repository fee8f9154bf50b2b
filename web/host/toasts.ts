// Where no OS notification belongs to the app (a browser tab), its notifications are shown in the
// page: the renderer draws each toast, and closes it when the notifier does.
import type { ClientService } from '../../core/service.js';
import type { NotificationRequest, NotificationSink, ShownNotification } from '../../desktop/notifier.js';

export class ToastSink implements NotificationSink {
  private next = 1;

  constructor(private readonly service: ClientService) {}

  show(request: NotificationRequest): ShownNotification {
    const id = `toast-${this.next++}`;
    this.service.send('toast', { id, title: request.title, body: request.body, target: request.target, priority: request.priority });
    return { close: () => this.service.send('toast-closed', { id }) };
  }
}
