import { useTranslation } from 'react-i18next';
import type { Presence } from '../../../shared/ipc.js';
import { formatMessageTime } from '../format.js';
import { useStore } from '../store.js';

type PresenceState = Presence['state'];

/**
 * Not heard of yet, or hidden, reads as offline. Not connected to the relay, nothing is known: what
 * was heard last may be stale (someone shown online for as long as the relay is down).
 */
function usePresence(username: string): { state: PresenceState; lastSeen: number | null } | null {
  const presence = useStore((s) => s.presence[username]);
  const connected = useStore((s) => s.connection === 'online');
  if (!connected) return null;
  return { state: presence?.state ?? 'offline', lastSeen: presence?.lastSeen ?? null };
}

/** In a direct conversation's header: "online", "away", "last seen …" or "offline"; nothing while not connected. */
export function PresenceStatus({ username }: { username: string }) {
  const { t, i18n } = useTranslation();
  const presence = usePresence(username);
  if (!presence) return null;
  const { state, lastSeen } = presence;
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
  const presence = usePresence(username);
  if (!presence) return null;
  return <span className={`presence-dot presence-${presence.state}`} aria-hidden="true" />;
}
