// English texts of the app's frame: the narrow window, where the list and a conversation take turns.
export const layoutEn = {
  /** The conversation header's button, in a narrow window: the conversation closes, the list shows. */
  back: 'Back to conversations',
} as const;
