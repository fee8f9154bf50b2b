import { useTranslation } from 'react-i18next';
import type { Presence } from '../../../shared/ipc.js';
import { formatMessageTime } from '../format.js';
import { useStore } from '../store.js';

type PresenceState = Presence['state'];

/** Unknown (not heard of yet, or hidden) reads as offline. */
function usePresence(username: string): { state: PresenceState; lastSeen: number | null } {
  const presence = useStore((s) => s.presence[username]);
  return { state: presence?.state ?? 'offline', lastSeen: presence?.lastSeen ?? null };
}

/** In a direct conversation's header: "online", "away", "last seen …" or "offline". */
export function PresenceStatus({ username }: { username: string }) {
  const { t, i18n } = useTranslation();
  const { state, lastSeen } = usePresence(username);
  const text =
    state === 'offline'
      ? lastSeen !== null
        ? t('presence.lastSeen', { time: formatMessageTime(lastSeen, i18n.language) })
        : t('presence.offline')
      : t(`presence.${state}`);
  return (
    <p className="presence-status" data-presence={state}>
      <span className={`presence-dot presence-${state}`} aria-hidden="true" />
      <span>{text}</span>
    </p>
  );
}

/** In the conversation list: decorative only (the header says it in words). */
export function PresenceDot({ username }: { username: string }) {
  const { state } = usePresence(username);
  return <span className={`presence-dot presence-${state}`} aria-hidden="true" />;
}
