import { ArrowLeft, ShieldCheck, Users } from 'lucide-react';
import { useConversationTitle } from '../hooks/useConversationTitle.js';
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { loadSafetyQuietly } from '../safety-actions.js';
import { useStore } from '../store.js';
import { Composer } from './Composer.js';
import { MembersPanel } from './MembersPanel.js';
import { MessageList } from './MessageList.js';
import { PresenceStatus } from './Presence.js';
import { SafetyPanel, VerifiedBadge } from './SafetyPanel.js';
import { TypingIndicator } from './TypingIndicator.js';
import { ImageViewer } from './attachments/ImageViewer.js';
import { attachFiles } from '../attachment-actions.js';
import { DisappearingControl } from './DisappearingControl.js';
import { ConversationMenu } from './ConversationMenu.js';
import { RequestBanner } from './RequestBanner.js';
import { isNarrowLayout } from '../lib/layout.js';
import { Avatar } from './Avatar.js';
import '../conversation-header.css';

export function ConversationView({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const conversation = useStore((s) => s.conversations.find((c) => c.id === conversationId));
  // Before the list arrives, the id tells: a group's starts with '#'.
  const isGroup = conversation ? conversation.kind === 'group' : conversationId.startsWith('#');
  const me = useStore((s) => s.profile?.username);
  const ownNotes = !isGroup && conversationId === me;
  const title = useConversationTitle()(conversation ?? { id: conversationId, kind: isGroup ? 'group' : 'direct', title: conversationId });
  const active = conversation?.active ?? true;
  const [membersOpen, setMembersOpen] = useState(false);
  const safetyOpen = useStore((s) => s.safetyPanel?.username === conversationId);
  const section = useRef<HTMLElement>(null);
  const backButton = useRef<HTMLButtonElement>(null);
  const id = useId();
  // Files dragged over the conversation: a drop zone shows; dropping attaches them to the composer.
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);
  const carriesFiles = (event: DragEvent) => [...event.dataTransfer.types].includes('Files');
  const dropHandlers = active
    ? {
        onDragEnter: (event: DragEvent) => {
          if (!carriesFiles(event)) return;
          dragDepth.current += 1;
          setDragging(true);
        },
        onDragOver: (event: DragEvent) => {
          if (!carriesFiles(event)) return;
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
        },
        onDragLeave: (event: DragEvent) => {
          if (!carriesFiles(event)) return;
          dragDepth.current = Math.max(0, dragDepth.current - 1);
          if (dragDepth.current === 0) setDragging(false);
        },
        onDrop: (event: DragEvent) => {
          if (!carriesFiles(event)) return;
          event.preventDefault();
          dragDepth.current = 0;
          setDragging(false);
          const dropped = [...event.dataTransfer.files];
          if (dropped.length > 0) attachFiles(conversationId, dropped);
        },
      }
    : {};

  // In a narrow window the list that had focus is gone from the screen: focus comes into the conversation.
  useEffect(() => {
    if (isNarrowLayout() && !section.current?.contains(document.activeElement)) backButton.current?.focus();
  }, []);

  // The header's "Verified" badge must be right without opening the panel.
  useEffect(() => {
    if (!isGroup && !ownNotes) loadSafetyQuietly(conversationId);
  }, [conversationId, isGroup, ownNotes]);

  function closeSafety() {
    useStore.getState().closeSafetyPanel();
  }

  return (
    <section ref={section} className={`conversation${dragging ? ' dragging' : ''}`} aria-labelledby={`${id}-title`} {...dropHandlers}>
      {dragging && (
        <div className="drop-zone" aria-hidden="true">
          <span>{t('composer.dropHere')}</span>
        </div>
      )}
      <ImageViewer />
      <header className="conversation-header">
        {/* Shown in a narrow window only (screens.css): the list comes back in place of the conversation. */}
        <button ref={backButton} type="button" className="back-button icon-button" aria-label={t('layout.back')} title={t('layout.back')} onClick={() => useStore.getState().select(null)}>
          <ArrowLeft size={20} aria-hidden="true" />
        </button>
        <Avatar name={title} size={40} notes={ownNotes} />
        <div className="conversation-heading">
          <h2 id={`${id}-title`}>{title}</h2>
          {isGroup ? (
            conversation && <p className="member-count">{t('group.memberCount', { count: conversation.members.length })}</p>
          ) : ownNotes ? (
            <p className="member-count">{t('list.noteToSelfHint')}</p>
          ) : (
            <PresenceStatus username={conversationId} />
          )}
        </div>
        <div className="conversation-actions">
          {active && <DisappearingControl conversationId={conversationId} />}
          {isGroup ? (
            <button
              type="button"
              className="header-button"
              aria-haspopup="dialog"
              onClick={() => setMembersOpen(true)}
            >
              <Users size={18} aria-hidden="true" />
              <span className="header-button-label">{t('group.members')}</span>
            </button>
          ) : ownNotes ? null : (
            <div className="conversation-tools">
              <VerifiedBadge username={conversationId} />
              <button
                type="button"
                className="header-button"
                aria-haspopup="dialog"
                onClick={() => useStore.getState().openSafetyPanel(conversationId)}
              >
                <ShieldCheck size={18} aria-hidden="true" />
                <span className="header-button-label">{t('safety.open')}</span>
              </button>
            </div>
          )}
          <ConversationMenu conversationId={conversationId} />
        </div>
      </header>
      {isGroup && membersOpen && conversation && <MembersPanel group={conversation} title={title} onClose={() => setMembersOpen(false)} />}
      {!isGroup && safetyOpen && <SafetyPanel username={conversationId} onClose={closeSafety} />}
      <MessageList conversationId={conversationId} label={t('conversation.historyLabel', { name: title })} />
      <TypingIndicator conversationId={conversationId} />
      {conversation && <RequestBanner conversation={conversation} />}
      {conversation?.blocked ? null : active ? (
        <Composer conversationId={conversationId} />
      ) : (
        <p className="composer-inactive">{t('group.inactive')}</p>
      )}
    </section>
  );
}
