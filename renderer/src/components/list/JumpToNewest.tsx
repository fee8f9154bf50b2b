import { ArrowDown } from 'lucide-react';
import { useTranslation } from 'react-i18next';

/**
 * Shown while the reader is back in the history: one press brings them to the newest messages,
 * and it counts those that arrived meanwhile.
 */
export function JumpToNewest({ arrived, onJump }: { arrived: number; onJump: () => void }) {
  const { t } = useTranslation();
  const label = arrived > 0 ? t('conversation.jumpToNewestCount', { count: arrived }) : t('conversation.jumpToNewest');
  return (
    <button type="button" className="jump-to-newest" aria-label={label} title={label} onClick={onJump}>
      <ArrowDown aria-hidden="true" size={20} />
      {arrived > 0 && (
        <span className="jump-count" aria-hidden="true">
          {arrived > 99 ? '99+' : arrived}
        </span>
      )}
    </button>
  );
}
