import { useTranslation } from 'react-i18next';

/** The relay's address, on first run (register or link). `id` is the input's; the hint's is derived from it. */
export function ServerUrlField({ id, value, onChange }: { id: string; value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={id}>{t('firstRun.serverUrl')}</label>
      <input
        id={id}
        name="serverUrl"
        type="text"
        inputMode="url"
        autoComplete="url"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={`${id}-hint`}
      />
      <p id={`${id}-hint`} className="hint">
        {t('firstRun.serverUrlHint')}
      </p>
    </div>
  );
}
