// English texts of the conversation list's frame: its header, the new-chat dialog, a row's extras.
export const listEn = {
  /** The sidebar's title, over the search box. */
  title: 'Chats',
  /** The pencil button; also the dialog's title. */
  newChat: 'New chat',
  /** The dialog's part for a conversation with one person. */
  person: 'Message a person',
  /** Between the dialog's two parts. */
  or: 'or',
  close: 'Close',
  /** In a direct conversation's row while the other person types (a group's names who). */
  typing: 'typing…',
  /** The direct conversation with oneself: what is written there reaches only one's own devices. */
  noteToSelf: 'Note to self',
  noteToSelfHint: 'Only your devices see this',
} as const;
