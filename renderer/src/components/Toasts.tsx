import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { openConversation } from '../actions.js';
import { useDesktop, type Toast } from '../desktop-actions.js';
import { openPush } from '../push-actions.js';

/**
 * Notifications drawn in the page, where the app has no OS notifications of its own (the web
 * host). Core decides which to show, exactly as for the desktop's OS notifications.
 */
export function Toasts() {
  const { t } = useTranslation();
  const toasts = useDesktop((s) => s.toasts);
  return (
    <section className="toasts" aria-label={t('toasts.region')} aria-live="polite">
      {toasts.map((toast) => (
        <ToastCard key={toast.id} toast={toast} />
      ))}
    </section>
  );
}

/** Like an OS notification, a toast leaves by itself; what it told stays in the unread counts. */
const TOAST_MS = 10_000;

function ToastCard({ toast }: { toast: Toast }) {
  const { t } = useTranslation();
  const drop = () => useDesktop.getState().dropToast(toast.id);
  useEffect(() => {
    const timer = setTimeout(drop, TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast.id]);
  function open() {
    drop();
    if ('conversationId' in toast.target) openConversation(toast.target.conversationId);
    else openPush(toast.target.pushId);
  }
  return (
    <div className="toast" role="group" aria-label={toast.title}>
      <button type="button" className="toast-open" aria-label={t('toasts.open', { title: toast.title, body: toast.body })} onClick={open}>
        <strong className="toast-title">{toast.title}</strong>{' '}
        <span className="toast-body">{toast.body}</span>
      </button>
      <button type="button" className="toast-dismiss small" aria-label={t('toasts.dismiss', { title: toast.title })} onClick={drop}>
        ×
      </button>
    </div>
  );
}
