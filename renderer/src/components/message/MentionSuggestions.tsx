import { useTranslation } from 'react-i18next';

/** Members whose name starts with what follows the "@" being typed; a click (or Enter) puts one in. */
export function MentionSuggestions({ names, active, onPick }: { names: string[]; active: number; onPick: (name: string) => void }) {
  const { t } = useTranslation();
  return (
    <ul className="mention-suggestions" role="listbox" aria-label={t('messageActions.mentionSuggestions')}>
      {names.map((name, i) => (
        <li
          key={name}
          role="option"
          aria-selected={i === active}
          // Before the textarea loses focus: the caret stays where the name goes.
          onMouseDown={(event) => {
            event.preventDefault();
            onPick(name);
          }}
        >
          @{name}
        </li>
      ))}
    </ul>
  );
}
