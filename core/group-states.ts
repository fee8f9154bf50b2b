// The signed state of each group this device knows (shared/group-state.ts), as last accepted.
import type Database from 'better-sqlite3-multiple-ciphers';
import { SignedGroupState } from '../shared/payload.js';

export class GroupStates {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      get: db.prepare('SELECT state FROM group_states WHERE group_id = ?').pluck(),
      put: db.prepare('INSERT INTO group_states (group_id, owner, state) VALUES (?, ?, ?) ON CONFLICT (group_id) DO UPDATE SET owner = excluded.owner, state = excluded.state'),
    };
  }

  /** The group's signed state; undefined for a group made by an earlier release, or unknown here. */
  get(groupId: string): SignedGroupState | undefined {
    const text = this.q.get.get(groupId) as string | undefined;
    if (text === undefined) return undefined;
    // Written only after it verified; parsed again so a damaged row reads as no state, not a crash.
    try {
      const parsed = SignedGroupState.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Records a verified state; the group's conversation must exist. */
  put(state: SignedGroupState): void {
    this.q.put.run(state.group, state.owner, JSON.stringify(state));
  }
}
