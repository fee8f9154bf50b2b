import { Fragment, useEffect } from 'react';
import { BadgeCheck } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { SafetyInfo } from '../../../shared/ipc.js';
import { formatMessageTime } from '../format.js';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { safetyNumberGroups } from '../lib/safety-number.js';
import { loadSafety, setVerified } from '../safety-actions.js';
import { useStore } from '../store.js';
import { FormError } from './FormError.js';
import { QrCode } from './QrCode.js';
import { Modal } from './shell/Modal.js';

/**
 * A direct conversation's side sheet: the number two people compare, and marking it verified.
 * Opened from the header or from a warning line in the log; closing gives focus back to that opener.
 */
export function SafetyPanel({ username, onClose }: { username: string; onClose: () => void }) {
  const { t } = useTranslation();
  const info = useStore((s) => s.safety[username]);
  const load = useAsyncAction();

  // Asked afresh on opening (what is held may predate a change this window missed); once per person,
  // not on every render.
  useEffect(() => {
    void load.run(() => loadSafety(username));
  }, [username]);

  return (
    <Modal title={t('safety.title', { name: username })} onClose={onClose} sheet>
      {() => (
        <div className="safety-panel">
          {info ? (
            <SafetyDetails info={info} />
          ) : load.error ? (
            <>
              <FormError error={load.error} />
              <button type="button" className="small" onClick={() => void load.run(() => loadSafety(username))}>
                {t('safety.retry')}
              </button>
            </>
          ) : (
            <p role="status" className="muted">
              {t('safety.loading')}
            </p>
          )}
        </div>
      )}
    </Modal>
  );
}

function SafetyDetails({ info }: { info: SafetyInfo }) {
  const { t } = useTranslation();
  const { pending, error, run } = useAsyncAction();
  const name = info.username;

  return (
    <>
      <p className="muted safety-intro">{t('safety.intro', { name })}</p>
      <div className="safety-codes">
        <SafetyNumber digits={info.safetyNumber} />
        <QrCode value={info.qrPayload} alt={t('safety.qrAlt', { name })} />
      </div>
      <SafetyStatus info={info} />
      <button
        type="button"
        className={info.verified ? undefined : 'primary'}
        disabled={pending}
        onClick={() => void run(() => setVerified(name, !info.verified))}
      >
        {info.verified ? t('safety.clearVerified') : t('safety.markVerified')}
      </button>
      <FormError error={error} />
    </>
  );
}

/**
 * 12 groups of 5 in a grid. The spaces between groups are in the text (copying it, or reading it
 * out, keeps the groups); the grid itself ignores them.
 */
function SafetyNumber({ digits }: { digits: string }) {
  return (
    <p className="safety-number" data-safety-number={digits}>
      {safetyNumberGroups(digits).map((group, i) => (
        <Fragment key={i}>
          {i > 0 && ' '}
          <span>{group}</span>
        </Fragment>
      ))}
    </p>
  );
}

function SafetyStatus({ info }: { info: SafetyInfo }) {
  const { t, i18n } = useTranslation();
  const name = info.username;
  const text = info.verified
    ? t('safety.isVerified', { name })
    : info.changedAt !== null
      ? t('safety.changed', { name, time: formatMessageTime(info.changedAt, i18n.language) })
      : t('safety.notVerified');
  const tone = info.verified ? 'success' : info.changedAt !== null ? 'safety-changed' : 'muted';
  return (
    <p role="status" className={tone}>
      {text}
    </p>
  );
}

/** In the header of a direct conversation whose safety number this person verified. */
export function VerifiedBadge({ username }: { username: string }) {
  const { t } = useTranslation();
  const verified = useStore((s) => s.safety[username]?.verified === true);
  if (!verified) return null;
  return (
    <p className="verified-badge" title={t('safety.verifiedHint', { name: username })}>
      <BadgeCheck size={16} aria-hidden="true" /> <span>{t('safety.verified')}</span>
    </p>
  );
}
