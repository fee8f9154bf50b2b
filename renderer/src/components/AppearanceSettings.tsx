import { useTranslation } from 'react-i18next';
import { LanguageChoice, ThemeChoice, type Appearance } from '../../../shared/desktop-settings.js';
import { chooseAppearance } from '../appearance.js';
import { useDesktop } from '../desktop-actions.js';
import '../appearance.css';

interface Props {
  id: string;
  /** Shows a failure where the panel shows the other settings' failures. */
  onError: (error: unknown) => void;
}

/**
 * Theme and language, in Settings; each choice applies at once (chooseAppearance).
 * Never disabled while a change is written: a radio disabled under the keyboard would lose the focus.
 */
export function AppearanceSettings({ id, onError }: Props) {
  const { t } = useTranslation();
  const appearance = useDesktop((s) => s.settings?.appearance);
  if (!appearance) return null;

  // Not through the panel's one-at-a-time runner: a choice made while it loads must not be dropped.
  const choose = (patch: Partial<Appearance>) => void chooseAppearance(patch).catch(onError);

  return (
    <fieldset className="appearance-settings">
      <legend>{t('appearance.title')}</legend>
      <div className="appearance-row" role="radiogroup" aria-labelledby={`${id}-theme`}>
        <span id={`${id}-theme`} className="appearance-label">
          {t('appearance.theme')}
        </span>
        <div className="segmented">
          {ThemeChoice.options.map((theme) => (
            <label key={theme} className="segment">
              <input
                type="radio"
                name={`${id}-theme`}
                value={theme}
                checked={appearance.theme === theme}
                onChange={() => choose({ theme })}
              />
              <span>{t(`appearance.themeOption.${theme}`)}</span>
            </label>
          ))}
        </div>
      </div>
      <div className="appearance-row">
        <label htmlFor={`${id}-language`} className="appearance-label">
          {t('appearance.language')}
        </label>
        <select
          id={`${id}-language`}
          value={appearance.language}
          onChange={(e) => choose({ language: LanguageChoice.parse(e.target.value) })}
        >
          {LanguageChoice.options.map((language) => (
            <option key={language} value={language} lang={language === 'system' ? undefined : language}>
              {t(`appearance.languageOption.${language}`)}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}
