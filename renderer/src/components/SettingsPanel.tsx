import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { timeOptions, type TimeOption } from '../lib/time-options.js';
import { dndActive, type DesktopSettingsPatch, type NotificationContent } from '../../../shared/desktop-settings.js';
import type { LogsFolder } from '../../../shared/ipc.js';
import { loadLogsFolder, loadRelayInfo, loadSettings, openLogsFolder, updateSettings, useDesktop, type RelayInfo } from '../desktop-actions.js';
import { errorMessage } from '../api.js';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { useNowSeconds } from '../hooks/useNow.js';
import { AppearanceSettings } from './AppearanceSettings.js';
import { FormError } from './FormError.js';
import { RecoveryPassphrase } from './RecoveryPassphrase.js';
import { shortcutLabel } from '../lib/shortcuts.js';

const HOUR = 3_600_000;
/** Monday first; the schedule numbers days as Date.getDay() does. */
const DAYS = [
  [1, 'mon'],
  [2, 'tue'],
  [3, 'wed'],
  [4, 'thu'],
  [5, 'fri'],
  [6, 'sat'],
  [0, 'sun'],
] as const;
const CONTENT: readonly NotificationContent[] = ['name-and-message', 'name-only', 'nothing'];

/** Window, notification and do-not-disturb settings; each change applies at once. In the Settings dialog. */
export function SettingsPanel({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const settings = useDesktop((s) => s.settings);
  const capabilities = useDesktop((s) => s.capabilities);
  const { pending, error, setError, run } = useAsyncAction();
  const now = useNowSeconds(30_000) * 1000;
  const [logs, setLogs] = useState<LogsFolder | null>(null);
  const [relay, setRelay] = useState<RelayInfo | null>(null);

  useEffect(() => {
    void run(async () => {
      await loadSettings();
      setLogs(await loadLogsFolder());
      setRelay(await loadRelayInfo());
    });
    // Once per opening.
  }, []);

  const change = (patch: DesktopSettingsPatch) => void run(() => updateSettings(patch));

  const quiet = settings ? dndActive(settings.dnd, new Date(now)) : false;
  const byHand = settings?.dnd.until != null && settings.dnd.until > now;
  const schedule = settings?.dnd.schedule;
  const times = timeOptions(i18n.language, schedule ? [schedule.start, schedule.end] : []);

  return (
    <div id={id} className="link-panel settings-panel">
      {settings && (
        <>
          <AppearanceSettings id={`${id}-appearance`} onError={(e) => setError(errorMessage(e))} />
          <fieldset>
            <legend>{t('composer.messages')}</legend>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={settings.enterSends}
                disabled={pending}
                aria-describedby={`${id}-enter-hint`}
                onChange={(e) => change({ enterSends: e.target.checked })}
              />
              {t('composer.enterSends')}
            </label>
            <p id={`${id}-enter-hint`} className="hint">
              {t('composer.enterSendsHint', { keys: shortcutLabel('Enter') })}
            </p>
          </fieldset>
          {(capabilities?.tray || capabilities?.startAtLogin) && (
            <fieldset>
              <legend>{t('settings.window')}</legend>
              {capabilities.tray && (
                <label className="checkbox">
                  <input type="checkbox" checked={settings.closeToTray} disabled={pending} onChange={(e) => change({ closeToTray: e.target.checked })} />
                  {t('settings.closeToTray')}
                </label>
              )}
              {capabilities.startAtLogin && (
                <label className="checkbox">
                  <input type="checkbox" checked={settings.startAtLogin} disabled={pending} onChange={(e) => change({ startAtLogin: e.target.checked })} />
                  {t('settings.startAtLogin')}
                </label>
              )}
            </fieldset>
          )}
          <fieldset>
            <legend>{t('settings.notifications')}</legend>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={settings.notifications.enabled}
                disabled={pending}
                onChange={(e) => change({ notifications: { enabled: e.target.checked } })}
              />
              {t('settings.notificationsEnabled')}
            </label>
            <label htmlFor={`${id}-content`}>{t('settings.content')}</label>
            <select
              id={`${id}-content`}
              value={settings.notifications.content}
              disabled={pending || !settings.notifications.enabled}
              onChange={(e) => change({ notifications: { content: e.target.value as NotificationContent } })}
            >
              {CONTENT.map((c) => (
                <option key={c} value={c}>
                  {t(`settings.contentOption.${c}`)}
                </option>
              ))}
            </select>
          </fieldset>
          <fieldset>
            <legend>{t('settings.dnd')}</legend>
            <p role="status">{quiet ? t('settings.dndOn') : t('settings.dndOff')}</p>
            <div className="inline-row">
              {byHand ? (
                <button type="button" className="small" disabled={pending} onClick={() => change({ dnd: { until: null } })}>
                  {t('settings.dndStop')}
                </button>
              ) : (
                <button type="button" className="small" disabled={pending} onClick={() => change({ dnd: { until: Date.now() + HOUR } })}>
                  {t('settings.dndHour')}
                </button>
              )}
            </div>
            {schedule && (
              <>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={schedule.enabled}
                    disabled={pending}
                    onChange={(e) => change({ dnd: { schedule: { enabled: e.target.checked } } })}
                  />
                  {t('settings.dndSchedule')}
                </label>
                <div className="inline-row">
                  <label htmlFor={`${id}-from`}>{t('settings.dndFrom')}</label>
                  <TimeSelect id={`${id}-from`} times={times} value={schedule.start} disabled={pending} onChange={(start) => change({ dnd: { schedule: { start } } })} />
                  <label htmlFor={`${id}-to`}>{t('settings.dndTo')}</label>
                  <TimeSelect id={`${id}-to`} times={times} value={schedule.end} disabled={pending} onChange={(end) => change({ dnd: { schedule: { end } } })} />
                </div>
                <div className="inline-row" role="group" aria-label={t('settings.dndDays')}>
                  {DAYS.map(([day, name]) => (
                    <label key={day} className="checkbox">
                      <input
                        type="checkbox"
                        checked={schedule.days.includes(day)}
                        disabled={pending}
                        onChange={(e) =>
                          change({
                            dnd: { schedule: { days: e.target.checked ? [...schedule.days, day].sort() : schedule.days.filter((d) => d !== day) } },
                          })
                        }
                      />
                      {t(`settings.day.${name}`)}
                    </label>
                  ))}
                </div>
              </>
            )}
            <label className="checkbox">
              <input type="checkbox" checked={settings.dnd.allowMax} disabled={pending} onChange={(e) => change({ dnd: { allowMax: e.target.checked } })} />
              {t('settings.dndAllowMax')}
            </label>
          </fieldset>
        </>
      )}
      {relay && (
        <fieldset>
          <legend>{t('settings.relay')}</legend>
          <p>
            <code className="settings-value" data-testid="relay-url">
              {relay.url}
            </code>
          </p>
          {relay.fingerprint ? (
            <>
              <p id={`${id}-fingerprint`}>{t('settings.relayFingerprint')}</p>
              <p>
                <code className="settings-value relay-fingerprint" aria-labelledby={`${id}-fingerprint`} data-testid="relay-fingerprint">
                  {relay.fingerprint}
                </code>
              </p>
              <p className="hint">{t('settings.relayCompare')}</p>
            </>
          ) : (
            <p className="hint">{t('settings.relayNotYet')}</p>
          )}
        </fieldset>
      )}
      {logs && (
        <fieldset>
          <legend>{t('settings.logs')}</legend>
          {logs.path ? (
            <>
              <p>{t('settings.logsWhere')}</p>
              <p>
                <code className="settings-value" data-testid="logs-path">
                  {logs.path}
                </code>
              </p>
              {logs.canOpen ? (
                <button type="button" className="small" disabled={pending} onClick={() => void run(async () => setLogs(await openLogsFolder()))}>
                  {t('settings.openLogs')}
                </button>
              ) : (
                <p className="hint">{t('settings.logsFindThem')}</p>
              )}
            </>
          ) : (
            <p>{t('settings.logsStderr')}</p>
          )}
        </fieldset>
      )}
      <FormError error={error} />
      <RecoveryPassphrase />
    </div>
  );
}

/** A time of day from the offered ones, written as the UI's language writes it (lib/time-options.ts). */
function TimeSelect({ id, times, value, disabled, onChange }: { id: string; times: TimeOption[]; value: string; disabled: boolean; onChange: (value: string) => void }) {
  return (
    <select id={id} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
      {times.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
