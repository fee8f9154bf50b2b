// English texts of forwarding a message, of the mark on a forwarded one, and of the search filter
// for messages with files.
export const forwardEn = {
  action: 'Forward',
  title: 'Forward message',
  filter: 'Find a conversation',
  none: 'No conversation matches.',
  files_one: '{{count}} file',
  files_other: '{{count}} files',
  send: 'Send',
  sendTo: 'Forward to {{name}}',
  sending: 'Sending…',
  sent: 'Sent',
  sentTo: 'Forwarded to {{name}}',
  done: 'Done',
  forwarded: 'Forwarded',
} as const;

export const searchFilesEn = {
  withFiles: 'With files',
  withFilesLabel: 'Only messages with files',
} as const;
