// English texts of subscribing to push topics and of a topic's settings sheet.
export const pushSubscriptionsEn = {
  subscribeHeading: 'Subscribe to a topic',
  topic: 'Topic',
  topicHint: 'Its name on your relay (1–64 letters, digits, “-” or “_”), or its full URL, also on another ntfy server such as https://ntfy.sh/alerts.',
  invalidTopic: 'A topic is 1–64 letters, digits, “-” or “_”, or its URL.',
  /** A URL of another server's topic over plain HTTP. */
  insecure: '{{host}} would be reached over plain HTTP, which anyone on the way can read or change: use its https:// address.',
  /** Under a topic on another server: who this device connects to for it. */
  remoteHint: 'On {{host}}: this device connects to it directly, and your relay is not involved.',
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
