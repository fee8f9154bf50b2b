// What the relay knows of each end-to-end encrypted attachment it holds: who uploaded it, how large
// it will be, when the upload began and when it finished. Never a name, a type or a key: those
// travel only inside sealed payloads. The bytes themselves are in the blob store (server/blobs/).

export interface BlobRow {
  /** The client-chosen id (shared/attachment.ts BlobId). */
  id: string;
  /** The uploading account's username: only it may write to or cancel the upload. */
  owner: string;
  /** Ciphertext bytes, as the upload announced (tus Upload-Length). */
  size: number;
  createdAt: number;
  /** When the last byte arrived; null while the upload is unfinished. */
  completedAt: number | null;
  /** When a device last asked to keep the finished blob (it forwards it); null if none did. */
  keptAt: number | null;
}

/** From when a finished blob's time to live counts: its upload's end, or the last request to keep it. */
export const livesFrom = (row: BlobRow): number | null => (row.completedAt === null ? null : Math.max(row.completedAt, row.keptAt ?? 0));

/** What reserving an id came to: the quota is checked and the id taken in one step. */
export type BlobReservation = 'reserved' | 'exists' | 'quota_exceeded';

export interface BlobIndex {
  /**
   * Takes `row.id` for `row.owner` unless the id is taken or the owner's blobs (finished or not)
   * would then hold more than `quotaBytes`; atomic, so two uploads cannot both slip under the quota.
   */
  reserve(row: Omit<BlobRow, 'completedAt' | 'keptAt'>, quotaBytes: number): Promise<BlobReservation>;
  get(id: string): Promise<BlobRow | undefined>;
  /** Marks an upload finished (once: a later call keeps the first time). */
  complete(id: string, at: number): Promise<void>;
  /** Restarts a finished blob's time to live at `at`; false when there is no finished blob of that id. */
  keep(id: string, at: number): Promise<boolean>;
  remove(id: string): Promise<void>;
  /** The Upload-Length of every blob the account holds, finished or not. */
  usedBytes(owner: string): Promise<number>;
  /** Ids of blobs finished (and last kept) before `finishedBefore` and of uploads begun before `unfinishedBefore` and never finished. */
  expired(finishedBefore: number, unfinishedBefore: number, limit: number): Promise<string[]>;
}
