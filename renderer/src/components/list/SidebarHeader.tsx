import { SquarePen } from 'lucide-react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NewChatDialog } from './NewChatDialog.js';

/** "Chats" and the pencil that opens the new-chat dialog, above the search box and the list. */
export function SidebarHeader() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);

  function closed(started: boolean) {
    setOpen(false);
    // A conversation was opened: writing in it comes next (in a narrow window the button is gone too).
    const composer = started ? document.querySelector<HTMLElement>('.conversation-pane textarea') : null;
    (composer ?? button.current)?.focus();
  }

  return (
    <div className="sidebar-header">
      <h2 className="sidebar-title">{t('list.title')}</h2>
      <button ref={button} type="button" className="icon-button" aria-label={t('list.newChat')} title={t('list.newChat')} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        <SquarePen size={19} aria-hidden="true" />
      </button>
      {open && <NewChatDialog onClose={closed} />}
    </div>
  );
}
