// Every schema the client's history database (history.sqlite) has had, in order. A released step is
// never edited: a change to the schema is a new step at the end, with its own test.
import { chat } from './001-chat.js';
import { endToEnd } from './002-end-to-end.js';
import { tablesAddedAt2 } from './003-tables-added-at-2.js';
import { messageSeq } from './004-message-seq.js';
import { attachments } from './005-attachments.js';
import { pushAttachments } from './006-push-attachments.js';
import { messageSearch } from './007-message-search.js';
import { messageActions } from './008-message-actions.js';
import { disappearingMessages } from './009-disappearing-messages.js';
import { conversationState } from './010-conversation-state.js';
import { forwarding } from './011-forwarding.js';
import { blockingAndRequests } from './012-blocking-and-requests.js';
import { deletedChats } from './013-deleted-chats.js';
import { groupStates } from './014-group-states.js';
import type { Migration } from './migration.js';

export const HISTORY_MIGRATIONS: readonly Migration[] = [chat, endToEnd, tablesAddedAt2, messageSeq, attachments, pushAttachments, messageSearch, messageActions, disappearingMessages, conversationState, forwarding, blockingAndRequests, deletedChats, groupStates];
