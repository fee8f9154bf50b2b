// English texts of the error codes (shared/errors.ts) a person can meet. `internal` is the one
// line for a bug or a code this app does not know; its detail is in the log, never on the page.
import type { ShownErrorCode } from '../../../shared/errors.js';

export const errorsEn = {
  internal: 'Something went wrong. The details are in Warbler’s log.',
  // The relay
  username_taken: 'This username is already taken. Choose another one.',
  unknown_device: 'The relay no longer knows this device: it was removed from your account, or the account was reset.',
  unknown_recipient: 'There is no user called {{username}}.',
  unknown_link: 'No device is waiting with this code. It may have expired: get a new code on the new device.',
  no_prekeys: '{{username}}’s devices cannot start a new conversation right now. Try again later.',
  forbidden: 'The relay does not allow you to do this.',
  rate_limited: 'Too many attempts. Wait a few minutes, then try again.',
  queue_full: 'The relay holds as many messages for {{username}} as it may. Try again once they have been online.',
  bad_request: 'Something you entered is not valid. Check it and try again.',
  // This device and its connection
  offline: 'Cannot reach the relay. Check your connection and the server URL.',
  protocol_mismatch: 'The relay runs another version of Warbler than this app. Update Warbler; if it is up to date, the relay needs updating.',
  timeout: 'The relay did not answer in time. Try again.',
  replaced: 'This device connected from somewhere else (another window or the warbler CLI).',
  device_removed: 'This device was removed from your account on another device.',
  relay_key_changed:
    'The relay’s identity has changed: it presents a key this device has not seen before. It may have been restored from an old backup, or a different relay now answers at the same address. New key fingerprint: {{fingerprint}}. Compare it with the one the relay’s operator publishes before you trust it.',
  // Conversations and groups
  unknown_conversation: 'This conversation does not exist on this device.',
  not_a_member: 'You are no longer a member of this group.',
  not_owner: 'Only {{owner}}, who made this group, can add or remove members.',
  legacy_group: 'This group was made by an earlier version of Warbler and cannot take new members. Make a new group to add people.',
  too_many: 'A group has at most {{max}} members.',
  too_large: 'This message is too long to send to everyone in this conversation. Shorten it.',
  failed: 'The message could not be sent.',
  // Linking devices
  bad_code: 'The link code is {{digits}} digits.',
  link_mismatch: 'The device waiting behind this code is not the one showing it. Do not link it.',
  bad_link: 'The approving device could not prove that it holds your account. Do not use this link: get a new code and try again.',
  this_device: 'This is the device you are using. Remove it from another device.',
  // Safety numbers
  own_account: 'A safety number is between you and someone else.',
  own_chat: 'That is you: this is for other people.',
  too_many_pins: 'You can pin up to {{max}} conversations. Unpin one first.',
  blocked: 'You blocked {{username}}. Unblock them to write to them.',
  not_a_request: 'Only a message request can be deleted.',
  still_a_member: 'Leave the group before deleting it.',
  unknown_message: 'That message is no longer in this history.',
  message_deleted: 'That message was deleted.',
  not_own_message: 'Only the person who sent a message can edit it or delete it for everyone.',
  too_late: 'A message can be edited or deleted for everyone for 24 hours after it was sent.',
  safety_number_changed: 'The safety number with {{username}} has changed. Compare the new one first.',
  identity_changed: '{{username}}’s safety number changed after you verified it. Compare the new one before sending.',
  // The history and its key
  schema_too_new: 'Your history was saved by a newer version of Warbler. Update Warbler to open it.',
  locked: 'Your history is locked. Unlock it first.',
  wrong_passphrase: 'Wrong passphrase.',
  wrong_key_file: 'This key file does not hold the key to your history.',
  wrong_key: 'The key does not open your history: it belongs to another profile, or the file is damaged.',
  no_passphrase: 'No passphrase was set for this history.',
  choose_passphrase: 'Choose a passphrase for your history first.',
  not_locked: 'Your history is not locked.',
  in_use: 'This profile is open in another Warbler window or program. Close it and try again.',
  // Attachments
  attachment_too_large: 'This file is too large for the relay: at most {{max}}.',
  quota_exceeded: 'Your account keeps as many files on the relay as it may. Try again once earlier ones were downloaded or expired.',
  attachment_damaged: 'This file was changed or damaged on its way, so it is not shown.',
  attachment_missing: 'This file is no longer on the relay.',
  transfer_failed: 'The file could not be transferred. Try again.',
  transfer_cancelled: 'The transfer was cancelled.',
  unknown_attachment: 'This file is not here any more.',
  unreadable_file: 'The file could not be read.',
  // The app
  starting: 'Warbler is still starting. Try again in a moment.',
  no_profile: 'Create or link an account first.',
  already_registered: 'This device already has an account.',
  link_in_progress: 'A link code is already being requested. Wait a moment.',
  not_subscribed: 'You are not subscribed to {{topic}}.',
  unsupported: 'Warbler cannot do that here.',
  open_failed: 'The folder could not be opened.',
  bridge_unavailable: 'The Warbler background service is not reachable. Check that it is still running.',
  bridge_closed: 'The connection to the Warbler background service was lost. Check whether your last action went through before you try again.',
} as const satisfies Record<ShownErrorCode | 'internal', string>;

/** What to fix, by the request field a `bad_request` names (its `field` param). */
export const invalidEn = {
  username: 'A username is 2–32 letters, digits, “_”, “-” or “.”, starting with a letter.',
  members: 'Each member is a username: 2–32 letters, digits, “_”, “-” or “.”, starting with a letter.',
  serverUrl: 'Enter the relay’s address, starting with https:// or wss:// (http:// or ws:// only for a relay on this computer).',
  name: 'A group name is 1–64 characters.',
  text: 'This message is too long.',
  passphrase: 'A passphrase has at least 8 characters.',
  topic: 'A topic is 1–64 letters, digits, “-” or “_”.',
  code: 'The link code is 18 digits.',
} as const;
