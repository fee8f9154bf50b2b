import { useTranslation } from 'react-i18next';
import { X } from 'lucide-react';
import { openConversation } from '../actions.js';
import { useDesktop, type Toast } from '../desktop-actions.js';
import { priorityLabelKey, priorityLevel } from '../lib/push-priority.js';
import { toastStack } from '../lib/toast-stack.js';
import { openPush } from '../push-actions.js';
import { PriorityMark } from './PriorityMark.js';
import '../toasts.css';

/**
 * Notifications drawn in the page, where the app has no OS notifications of its own (the web
 * host). Core decides which to show, exactly as for the desktop's OS notifications; the page shows
 * three and counts the rest.
 */
export function Toasts() {
  const { t } = useTranslation();
  const toasts = useDesktop((s) => s.toasts);
  const { shown, more } = toastStack(toasts);
  const dropAll = () => {
    for (const toast of toasts) useDesktop.getState().dropToast(toast.id);
  };
  return (
    <section className="toasts" aria-label={t('toasts.region')} aria-live="polite">
      {shown.map((toast) => (
        <ToastCard key={toast.id} toast={toast} />
      ))}
      {more > 0 && (
        <div className="toast-more">
          <span>{t('toasts.more', { count: more })}</span>
          <button type="button" className="small" onClick={dropAll}>
            {t('toasts.dismissAll')}
          </button>
        </div>
      )}
    </section>
  );
}

function ToastCard({ toast }: { toast: Toast }) {
  const { t } = useTranslation();
  const drop = () => useDesktop.getState().dropToast(toast.id);
  const level = toast.priority === undefined ? undefined : priorityLevel(toast.priority);
  // The priority's words are seen on the card, so they are heard in its name too.
  const mark = level && level !== 'default' ? t(priorityLabelKey(level)) : null;
  function open() {
    drop();
    if ('conversationId' in toast.target) openConversation(toast.target.conversationId);
    else openPush(toast.target.pushId);
  }
  return (
    <div className="toast" role="group" aria-label={toast.title} data-priority={level}>
      <button type="button" className="toast-open" aria-label={t('toasts.open', { title: mark ? `${mark} ${toast.title}` : toast.title, body: toast.body })} onClick={open}>
        {level && <PriorityMark level={level} />} <strong className="toast-title">{toast.title}</strong>{' '}
        <span className="toast-body">{toast.body}</span>
      </button>
      <button type="button" className="toast-dismiss" aria-label={t('toasts.dismiss', { title: toast.title })} title={t('toasts.dismiss', { title: toast.title })} onClick={drop}>
        <X aria-hidden="true" size={16} />
      </button>
    </div>
  );
}
