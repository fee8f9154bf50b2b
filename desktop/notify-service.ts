// Feeds the notifier from the client service: the same wiring for Electron (OS notifications) and
// the web host (in-page toasts); only the sink and what "open" does differ.
import type { WarblerClient } from '../core/client.js';
import type { ClientService } from '../core/service.js';
import { Notifier, type NoticeTarget, type NotificationSink } from './notifier.js';
import type { ShellStrings } from './strings.js';

export function notifyFromService(
  service: ClientService,
  sink: NotificationSink,
  open: (target: NoticeTarget) => void,
  strings?: ShellStrings,
): Notifier {
  const notifier = new Notifier({
    sink,
    ...(strings ? { strings } : {}),
    settings: () => service.settings.get(),
    viewing: () => service.viewing,
    me: () => service.current?.username,
    muted: (id) => (service.current?.conversation(id)?.mutedUntil ?? 0) > Date.now(),
    groupTitle: (id) => (id.startsWith('#') ? service.current?.conversation(id)?.title : undefined),
    subscription: (topic) => service.current?.pushSubscription(topic),
    open,
  });
  const wire = (client: WarblerClient) => {
    client.on('state', (state) => notifier.onState(state));
    client.on('received', (message) => notifier.onReceived(message));
    client.on('drained', () => notifier.onDrained());
    client.on('removed', ({ conversationId, id }) => notifier.onMessageGone(conversationId, id));
    client.on('message', (message) => {
      if (message.deletedAt !== undefined) notifier.onMessageGone(message.conversationId, message.id);
    });
    client.on('push', (item) => notifier.onPush(item));
    client.on('pushRemoved', (ids) => ids.forEach((id) => notifier.onPushSeen(id)));
    // Read here or on another of this person's devices.
    client.on('conversation', (conversation) => {
      if (conversation.unread === 0) notifier.onConversationSeen(conversation.id);
    });
  };
  if (service.current) wire(service.current);
  service.on('client', wire);
  service.on('viewing', (viewing) => notifier.onViewing(viewing));
  return notifier;
}

/** What a click on a notification does in the renderer: show that conversation or push. */
export function openInRenderer(service: ClientService, target: NoticeTarget): void {
  if ('conversationId' in target) service.send('open-conversation', { conversationId: target.conversationId });
  else service.send('open-push', { id: target.pushId });
}
