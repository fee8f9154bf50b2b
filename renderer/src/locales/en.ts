// English: the default language. Accessible names here are contracts for the e2e tests.
export const en = {
  app: {
    name: 'Warbler',
    signedInAs: 'Signed in as {{username}}',
  },
  load: {
    loading: 'Loading…',
    failedTitle: 'Warbler could not start',
    noBridge: 'The Warbler background service is not available.',
    retry: 'Try again',
  },
  firstRun: {
    title: 'Welcome to Warbler',
    intro: 'Create an account on a Warbler relay to start chatting. Messages are end-to-end encrypted.',
    serverUrl: 'Server URL',
    serverUrlHint: 'For example wss://relay.example.org',
    username: 'Username',
    usernameHint: '2–32 letters, digits, “_”, “-” or “.”, starting with a letter.',
    submit: 'Create account',
    pending: 'Creating account…',
  },
  connection: {
    connecting: 'Connecting…',
    offline: 'Offline — messages will be sent when the connection returns',
    stopped: 'Disconnected: {{message}}',
    retry: 'Reconnect',
  },
  expired: {
    notice_one: '{{count}} message expired on the relay before this device came back online.',
    notice_other: '{{count}} messages expired on the relay before this device came back online.',
    dismiss: 'Dismiss',
  },
  conversations: {
    heading: 'Conversations',
    empty: 'No conversations yet.',
    noMessages: 'No messages yet',
    /** Before the preview of your own last message (user text is never interpolated). */
    youPrefix: 'You: ',
    unread_one: '{{count}} unread',
    unread_other: '{{count}} unread',
  },
  newChat: {
    heading: 'New chat',
    username: 'Username',
    submit: 'Start chat',
  },
  conversation: {
    none: 'Select a conversation or start a new chat.',
    historyLabel: 'Conversation with {{name}}',
    empty: 'No messages yet. Say hello!',
  },
  message: {
    you: 'You',
    sending: 'Sending',
    sent: 'Sent',
    delivered: 'Delivered',
    failed: 'Failed to send',
  },
  composer: {
    label: 'Message',
    placeholder: 'Write a message…',
    hint: 'Enter sends, Shift+Enter adds a new line',
    send: 'Send',
  },
  errors: {
    unknown: 'Something went wrong.',
  },
} as const;

/** The same keys with any text: every other language must provide all of them. */
export type Messages<T = typeof en> = { -readonly [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };
