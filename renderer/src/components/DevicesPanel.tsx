import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceInfo } from '../../../shared/ipc.js';
import { loadDevices, removeDevice } from '../device-actions.js';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { deviceFingerprint } from '../lib/devices.js';
import { useStore } from '../store.js';
import { FormError } from './FormError.js';

/** In the Your devices dialog (titled by titleId): this account's devices, and unlinking one of the others. */
export function DevicesPanel({ titleId }: { titleId: string }) {
  const { t } = useTranslation();
  const devices = useStore((s) => s.devices);
  const { pending, error, run } = useAsyncAction();
  const [removed, setRemoved] = useState(false);

  // Listed afresh on every opening: another device may have linked or unlinked one meanwhile.
  useEffect(() => {
    void run(loadDevices);
    // Once per opening, not on every render.
  }, []);

  async function remove(deviceKey: string): Promise<void> {
    setRemoved(false);
    if (await run(() => removeDevice(deviceKey))) {
      setRemoved(true);
      // Its row (and the button that had focus) is gone: back to the dialog's title.
      document.getElementById(titleId)?.focus();
    }
  }

  return (
    <div className="link-panel devices-panel">
      <p className="muted">{t('devices.intro')}</p>
      {devices === null ? (
        !error && <p className="muted">{t('devices.loading')}</p>
      ) : (
        <ul className="device-list" aria-labelledby={titleId}>
          {devices.map((device) => (
            <DeviceRow key={device.deviceKey} device={device} busy={pending} onRemove={remove} />
          ))}
        </ul>
      )}
      <FormError error={error} />
      {devices === null && error && (
        <button type="button" className="small" onClick={() => void run(loadDevices)}>
          {t('devices.retry')}
        </button>
      )}
      <p role="status" className={removed ? 'success' : undefined}>
        {removed ? t('devices.removed') : ''}
      </p>
    </div>
  );
}

interface RowProps {
  device: DeviceInfo;
  busy: boolean;
  /** Confirmed: unlink it (a failure shows in the panel, and the question stays). */
  onRemove: (deviceKey: string) => Promise<void>;
}

/** One device; removing another one asks first, in place. */
function DeviceRow({ device, busy, onRemove }: RowProps) {
  const { t } = useTranslation();
  const fingerprint = deviceFingerprint(device.deviceKey);
  const [confirming, setConfirming] = useState(false);
  // Where focus goes once the row re-rendered: the safe choice when asked, back where it was after.
  const focusNext = useRef<'cancel' | 'remove' | null>(null);
  const removeButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const promptId = useId();

  useEffect(() => {
    if (focusNext.current === 'cancel') cancelButton.current?.focus();
    else if (focusNext.current === 'remove') removeButton.current?.focus();
    focusNext.current = null;
  }, [confirming]);

  function ask() {
    focusNext.current = 'cancel';
    setConfirming(true);
  }

  function cancel() {
    focusNext.current = 'remove';
    setConfirming(false);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      cancel();
    }
  }

  return (
    <li className="device-row" data-current={device.current || undefined}>
      <span className="device-name">
        <code className="device-fingerprint" title={device.deviceKey}>
          {fingerprint}
        </code>
        {device.current && <span className="device-current">{t('devices.thisDevice')}</span>}
      </span>
      {!device.current &&
        (confirming ? (
          <div className="device-confirm" role="group" aria-labelledby={promptId} onKeyDown={onKeyDown}>
            <p id={promptId}>{t('devices.confirm', { fingerprint })}</p>
            <div className="inline-row">
              <button type="button" className="small danger" disabled={busy} onClick={() => void onRemove(device.deviceKey)}>
                {t('devices.confirmRemove')}
              </button>
              <button ref={cancelButton} type="button" className="small" onClick={cancel}>
                {t('devices.cancel')}
              </button>
            </div>
          </div>
        ) : (
          <button
            ref={removeButton}
            type="button"
            className="small"
            aria-label={t('devices.removeLabel', { fingerprint })}
            disabled={busy}
            onClick={ask}
          >
            {t('devices.remove')}
          </button>
        ))}
    </li>
  );
}
