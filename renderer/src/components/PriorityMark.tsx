import { useTranslation } from 'react-i18next';
import { priorityIcon, priorityLabelKey, type PriorityLevel } from '../lib/push-priority.js';

/** A push's priority, by colour, icon and words (never the icon alone); nothing for the default. */
export function PriorityMark({ level }: { level: PriorityLevel }) {
  const { t } = useTranslation();
  const Icon = priorityIcon(level);
  if (Icon === null) return null;
  return (
    <span className={`push-priority push-priority-${level}`}>
      <Icon aria-hidden="true" className="push-priority-icon" /> {t(priorityLabelKey(level))}
    </span>
  );
}
