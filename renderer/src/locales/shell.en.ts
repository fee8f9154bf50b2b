// English texts of the app's shell: the rail, the account menu, the dialogs and the shortcuts sheet.
export const shellEn = {
  /** The rail (a bottom bar in a narrow window): the views and the account. */
  rail: 'Main',
  /** The handle between the conversation list and the conversation. */
  listWidth: 'Conversation list width',
  chats: 'Chats',
  /** Not "N unread": a conversation's badge is named so. */
  chatsUnread_one: 'Chats, {{count}} new',
  chatsUnread_other: 'Chats, {{count}} new',
  /** The account button's name: whose account this is. */
  account: 'Account: {{username}}',
  accountMenu: 'Account',
  presence: 'Presence',
  online: 'Online',
  invisible: 'Invisible',
  invisibleHint: 'Others see you as offline',
  /** Under Online: away comes by itself after a while without input. */
  awayHint: 'Away after 5 minutes without input',
  away: 'Away',
  awayChosenHint: 'Until you choose Online again',
  close: 'Close',
  topics: 'Topics',
  topicUnread_one: '{{count}} unread',
  topicUnread_other: '{{count}} unread',
  shortcuts: {
    open: 'Keyboard shortcuts',
    title: 'Keyboard shortcuts',
    chats: 'Show chats',
    notifications: 'Show notifications',
    settings: 'Open settings',
    sheet: 'Show keyboard shortcuts',
    searchAll: 'Search all conversations',
    searchHere: 'Search in the open conversation',
    keys: 'Keys',
    action: 'Action',
  },
} as const;
