// English texts of blocking people and of message requests.
export const peopleEn = {
  block: 'Block',
  unblock: 'Unblock',
  blocked: 'Blocked',
  blockedNotice: 'You blocked {{name}}. You will not see their messages, and they see no receipts, typing or presence from you.',
  request: 'Message request',
  requestNotice: '{{name}} is not in your contacts. They will not know you read their messages until you accept.',
  accept: 'Accept',
  delete: 'Delete',
  confirmDelete: 'Delete this request and its messages? If {{name}} writes again, it comes back as a new request.',
  cancel: 'Cancel',
} as const;
