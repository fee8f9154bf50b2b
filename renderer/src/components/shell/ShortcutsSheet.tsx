import { useTranslation } from 'react-i18next';
import { SHORTCUTS, shortcutLabel } from '../../lib/shortcuts.js';

/** In the Keyboard shortcuts dialog: every shortcut the app has, with its keys as this keyboard writes them. */
export function ShortcutsSheet() {
  const { t } = useTranslation();
  return (
    <table className="shortcuts-table">
      <thead className="visually-hidden">
        <tr>
          <th scope="col">{t('shell.shortcuts.action')}</th>
          <th scope="col">{t('shell.shortcuts.keys')}</th>
        </tr>
      </thead>
      <tbody>
        {SHORTCUTS.map(({ key, text }) => (
          <tr key={key}>
            <td>{t(`shell.shortcuts.${text}`)}</td>
            <td>
              <kbd>{shortcutLabel(key)}</kbd>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
