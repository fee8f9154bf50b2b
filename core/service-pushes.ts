// The push channels of the IPC contract (push:*), on the service's current client: the
// notification center's list, read marks, deletions and subscriptions.
import type { z } from 'zod';
import type { EventChannel, EventPayload, InvokeChannel, InvokeResponse, PushSubscription, invokeContract } from '../shared/ipc.js';
import type { WarblerClient } from './client.js';
import type { SubscriptionChange } from './client/push-subscriptions.js';
import { ServiceError } from './ipc-errors.js';
import type { PushAttachmentFiles } from './push-attachment-files.js';

type PushChannel = Extract<InvokeChannel, `push:${string}`>;
type PushHandlers = { [C in PushChannel]: (request: z.output<(typeof invokeContract)[C]['request']>) => Promise<InvokeResponse<C>> };

export interface PushHandlerContext {
  client: () => WarblerClient;
  /** The previews of the running client's push attachments, deleted with their pushes. */
  files: () => PushAttachmentFiles | undefined;
  send: <E extends EventChannel>(event: E, payload: EventPayload<E>) => void;
  /** Tells the tray and badge the unread counts, when they changed. */
  sendUnread: () => void;
}

export function pushHandlers({ client, files, send, sendUnread }: PushHandlerContext): PushHandlers {
  const removed = async (ids: string[]) => {
    if (ids.length > 0) send('push-removed', { ids });
    await files()?.forget(ids);
    sendUnread();
    return null;
  };
  const change = async (topic: string, what: SubscriptionChange): Promise<PushSubscription> => {
    const subscription = client().changePushSubscription(topic, what);
    if (!subscription) throw new ServiceError('not_subscribed', `not subscribed to "${topic}"`, { topic });
    return subscription;
  };
  return {
    'push:list': async ({ topic, limit }) => client().pushList(topic, limit ?? 500),
    'push:markRead': async (which) => {
      for (const item of client().markPushesRead(which)) send('push', item);
      sendUnread();
      return null;
    },
    'push:delete': async ({ ids }) => removed(client().deletePushes(ids)),
    'push:clearTopic': async ({ topic }) => removed(client().clearPushTopic(topic)),
    'push:subscriptions': async () => client().pushSubscriptions(),
    'push:subscribe': async ({ topic }) => client().subscribePush(topic),
    'push:unsubscribe': async ({ topic }) => {
      client().unsubscribePush(topic);
      sendUnread();
      return null;
    },
    'push:setMuted': async ({ topic, muted }) => change(topic, { muted }),
    'push:setMinPriority': async ({ topic, minPriority }) => change(topic, { minPriority }),
  };
}
