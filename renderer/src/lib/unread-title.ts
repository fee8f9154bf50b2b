// The window's title counts what is unread, chats and pushes together: "(4) Warbler".

export function unreadTitle(appName: string, unread: number): string {
  return unread > 0 ? `(${unread > 999 ? '999+' : unread}) ${appName}` : appName;
}
