// English texts of subscribing to push topics and of a topic's settings sheet.
export const pushSubscriptionsEn = {
  subscribeHeading: 'Subscribe to a topic',
  topic: 'Topic',
  topicHint: 'Its name (1–64 letters, digits, “-” or “_”) exactly as the publisher uses it, or its URL.',
  invalidTopic: 'A topic is 1–64 letters, digits, “-” or “_”, or its URL on this relay.',
  /** A URL of a topic on a relay other than this account's. */
  otherRelay: 'That topic is on another relay ({{host}}). Warbler follows topics on your own relay; publish there to reach this app.',
  submit: 'Subscribe',
  cancel: 'Cancel',
  subscribed: 'Subscribed to {{topic}}.',
  none: 'No subscriptions yet.',
  muted: 'Muted',
  settingsLabel: 'Settings for {{topic}}',
  settingsTitle: 'Settings for {{topic}}',
  muteTopic: 'Mute this topic',
  muteHint: 'Its pushes are still kept here, without a notification.',
  notSubscribed: 'You are no longer subscribed to {{topic}}; the pushes already here stay until you clear them.',
  unsubscribe: 'Unsubscribe',
  minPriority: 'Notify for {{topic}}',
  minPriorityOption: {
    min: 'every push',
    low: 'low priority and up',
    default: 'default priority and up',
    high: 'high priority and up',
    max: 'max priority only',
  },
  publishHeading: 'Publish to it',
  publishHint: 'Any program can, with one HTTP request, as to ntfy:',
  /** The message of the example curl line. */
  publishSample: 'Backup done',
} as const;
