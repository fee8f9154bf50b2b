// Direct chats deleted while they were chats, not message requests: their people are not strangers,
// so their next message brings the chat back as a chat, not as a request.
import type { Migration } from './migration.js';

export const deletedChats: Migration = {
  version: 13,
  name: 'deleted chats',
  up(db) {
    db.exec(`
CREATE TABLE deleted_chats (
  username   TEXT PRIMARY KEY,
  deleted_at INTEGER NOT NULL
);
`);
  },
};
