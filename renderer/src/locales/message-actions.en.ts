// English texts of what can be done to a message and to a conversation: the message toolbar,
// reactions, replies, edits, deletions, disappearing messages, and how a conversation is kept.
export const messageActionsEn = {
  toolbar: 'Message actions',
  reply: 'Reply',
  react: 'React',
  more: 'More actions',
  copy: 'Copy text',
  edit: 'Edit',
  deleteForMe: 'Delete for me',
  deleteForEveryone: 'Delete for everyone',
  confirmDeleteForEveryone: 'Delete this message for everyone in the conversation? It is replaced by “This message was deleted” on every device.',
  cancel: 'Cancel',
  anyEmoji: 'Any emoji',
  reactWith: 'React with {{emoji}}',
  reactions: 'Reactions',
  reactedBy: '{{emoji}} from {{names}}',
  deleted: 'This message was deleted',
  edited: 'edited',
  versions: 'Earlier versions',
  noVersions: 'No earlier version is kept on this device.',
  replyingTo: 'Replying to {{name}}',
  editing: 'Editing your message',
  cancelReply: 'Cancel the reply',
  cancelEdit: 'Cancel editing',
  save: 'Save',
  quoteOf: 'Reply to a message from {{name}}: show it',
  mentionSuggestions: 'People to mention',
  quoteEmpty: 'The quoted message was deleted, or had only files',
} as const;

/** Disappearing messages: the conversation's timer and the lines that say it changed. */
export const disappearingEn = {
  label: 'Disappearing messages',
  off: 'Off',
  set: '{{actor}} set disappearing messages to {{duration}}',
  turnedOff: '{{actor}} turned off disappearing messages',
  messageTimer: 'Disappears {{duration}} after it is read',
} as const;

/** How a person keeps a conversation: pinned, archived, muted, marked unread, and its draft. */
export const conversationStateEn = {
  menu: 'Conversation options',
  pin: 'Pin',
  unpin: 'Unpin',
  archive: 'Archive',
  unarchive: 'Unarchive',
  muteFor: 'Mute for {{duration}}',
  muteAlways: 'Mute always',
  unmute: 'Unmute',
  markUnread: 'Mark as unread',
  pinned: 'Pinned',
  muted: 'Muted',
  markedUnread: 'Marked unread',
  archived: 'Archived ({{count}})',
  hideArchived: 'Hide archived',
  draft: 'Draft: ',
} as const;
