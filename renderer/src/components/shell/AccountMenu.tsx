import { useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Check, Keyboard, Link2, MonitorSmartphone, Settings } from 'lucide-react';
import { presenceChoiceOf, setPresenceChoice, type PresenceChoice } from '../../presence-actions.js';
import { useStore } from '../../store.js';
import { Avatar } from '../Avatar.js';
import { shortcutLabel } from '../../lib/shortcuts.js';

export type AccountDialog = 'settings' | 'devices' | 'link' | 'shortcuts';

interface AccountMenuProps {
  onOpen: (dialog: AccountDialog) => void;
}

/**
 * The person's avatar at the foot of the rail, opening a menu: the account's dialogs and one's
 * presence. A menu button as WAI-ARIA describes it: arrows move, Escape closes, focus returns.
 */
export function AccountMenu({ onOpen }: AccountMenuProps) {
  const { t } = useTranslation();
  const username = useStore((s) => s.profile?.username ?? '');
  const choice = useStore((s) => presenceChoiceOf(s));
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const id = useId();
  /** Which item takes focus once the menu shows: the first, or the last (opened with ArrowUp). */
  const focusOnOpen = useRef<'first' | 'last'>('first');

  useEffect(() => {
    if (open) items()[focusOnOpen.current === 'first' ? 0 : items().length - 1]?.focus();
  }, [open]);

  function items(): HTMLElement[] {
    return [...(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];
  }

  function close(refocus: boolean) {
    setOpen(false);
    if (refocus) button.current?.focus();
  }

  function choose(dialog: AccountDialog) {
    // Focus on the account button first: the dialog gives it back there when it closes.
    close(true);
    onOpen(dialog);
  }

  function choosePresence(next: PresenceChoice) {
    close(true);
    if (next === choice) return;
    setPresenceChoice(next).catch((error: unknown) => console.warn('presence:set failed', error));
  }

  function onButtonKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    focusOnOpen.current = event.key === 'ArrowUp' ? 'last' : 'first';
    setOpen(true);
  }

  function onMenuKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      event.preventDefault();
      all[(to + all.length) % all.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(at + 1);
    else if (event.key === 'ArrowUp') move(at - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(all.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'Tab') close(false);
  }

  function onBlur(event: FocusEvent<HTMLDivElement>) {
    if (!root.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
  }

  return (
    <div ref={root} className="account" onBlur={onBlur}>
      <button
        ref={button}
        type="button"
        className="rail-button account-button"
        aria-label={t('shell.account', { username })}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        onClick={() => {
          focusOnOpen.current = 'first';
          setOpen((v) => !v);
        }}
        onKeyDown={onButtonKeyDown}
      >
        <Avatar name={username} size={36} />
        <span className="presence-dot" data-state={{ online: 'online', away: 'away', invisible: 'offline' }[choice]} aria-hidden="true" />
        <span className="rail-tooltip" aria-hidden="true">
          {username}
        </span>
      </button>
      {open && (
        <div className="account-popover">
          <div className="account-head">
            <Avatar name={username} size={40} />
            <div className="account-who">
              <strong>{username}</strong>
              <span className="muted">{t('app.signedInAs', { username })}</span>
            </div>
          </div>
          <div ref={menu} id={`${id}-menu`} role="menu" aria-label={t('shell.accountMenu')} className="account-menu" onKeyDown={onMenuKeyDown}>
            <Item icon={<Settings size={18} />} keys={shortcutLabel(',')} onClick={() => choose('settings')}>
              {t('settings.open')}
            </Item>
            <Item icon={<MonitorSmartphone size={18} />} onClick={() => choose('devices')}>
              {t('devices.open')}
            </Item>
            <Item icon={<Link2 size={18} />} onClick={() => choose('link')}>
              {t('linkDevice.open')}
            </Item>
            <div role="separator" className="menu-separator" />
            <div role="group" aria-labelledby={`${id}-presence`}>
              <p id={`${id}-presence`} className="menu-group-label">
                {t('shell.presence')}
              </p>
              <Item radio checked={choice === 'online'} icon={<span className="presence-dot" data-state="online" />} hint={t('shell.awayHint')} onClick={() => choosePresence('online')}>
                {t('shell.online')}
              </Item>
              <Item radio checked={choice === 'away'} icon={<span className="presence-dot" data-state="away" />} hint={t('shell.awayChosenHint')} onClick={() => choosePresence('away')}>
                {t('shell.away')}
              </Item>
              <Item
                radio
                checked={choice === 'invisible'}
                icon={<span className="presence-dot" data-state="offline" />}
                hint={t('shell.invisibleHint')}
                onClick={() => choosePresence('invisible')}
              >
                {t('shell.invisible')}
              </Item>
            </div>
            <div role="separator" className="menu-separator" />
            <Item icon={<Keyboard size={18} />} keys={shortcutLabel('/')} onClick={() => choose('shortcuts')}>
              {t('shell.shortcuts.open')}
            </Item>
          </div>
        </div>
      )}
    </div>
  );
}

interface ItemProps {
  icon: ReactNode;
  children: string;
  onClick: () => void;
  /** The shortcut that does the same, shown at the end. */
  keys?: string;
  /** Shown under the label, and read as its description. */
  hint?: string;
  radio?: boolean;
  checked?: boolean;
}

function Item({ icon, children, onClick, keys, hint, radio, checked }: ItemProps) {
  const id = useId();
  return (
    <button
      type="button"
      role={radio ? 'menuitemradio' : 'menuitem'}
      aria-checked={radio ? checked : undefined}
      aria-labelledby={`${id}-label`}
      aria-describedby={hint ? `${id}-hint` : undefined}
      tabIndex={-1}
      className="menu-item account-item"
      onClick={onClick}
    >
      <span className="account-item-icon" aria-hidden="true">
        {icon}
      </span>
      <span className="account-item-label">
        <span id={`${id}-label`}>{children}</span>
        {hint && (
          <span id={`${id}-hint`} className="account-item-hint">
            {hint}
          </span>
        )}
      </span>
      {keys && (
        <kbd className="account-item-keys" aria-hidden="true">
          {keys}
        </kbd>
      )}
      {radio && <span className="account-item-check" aria-hidden="true">{checked && <Check size={16} />}</span>}
    </button>
  );
}
