// English texts of the composer's emoji picker and of how Enter behaves in it.
export const composeEn = {
  emoji: 'Emoji',
  emojiPicker: 'Choose an emoji',
  emojiSearch: 'Search emoji',
  emojiLoading: 'Loading emoji…',
  emojiNone: 'No emoji found',
  /** The composer's hint, read out with the field, when Enter starts a new line. */
  hintModifier: '{{keys}} sends, Enter adds a new line',
  /** The settings' group of composer options. */
  messages: 'Messages',
  enterSends: 'Enter sends a message',
  enterSendsHint: 'Shift+Enter adds a new line. When off, Enter adds a new line and {{keys}} sends.',
} as const;
