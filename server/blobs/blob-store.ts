// Where the relay keeps end-to-end encrypted attachments: ciphertext it cannot read, under the
// client-chosen id, with the index of owners and sizes (server/storage/blob-index.ts) beside it.
// An interface, so that a relay of several nodes can keep the bytes and the index elsewhere
// (the multi-node issue's PostgreSQL); FileBlobStore keeps them under <data>/blobs/.
import type { Readable } from 'node:stream';
import type { BlobReservation, BlobRow } from '../storage/blob-index.js';

export interface BlobInfo extends BlobRow {
  /** Bytes received so far: where an interrupted upload resumes (tus Upload-Offset). */
  offset: number;
}

/** Inclusive byte positions, as HTTP ranges count them. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobStore {
  /** Takes the id for the owner and makes the empty blob, unless the id is taken or the quota would be passed. */
  create(blob: { id: string; owner: string; size: number }, quotaBytes: number): Promise<BlobReservation>;
  /** A blob, finished or not; undefined when there is none (or its bytes are gone). */
  info(id: string): Promise<BlobInfo | undefined>;
  /** Appends what `source` yields at `offset` (the bytes received so far); returns the new offset. */
  append(id: string, source: Readable, offset: number): Promise<number>;
  /** The last byte arrived: the blob may now be downloaded. */
  complete(id: string): Promise<void>;
  /** Restarts a finished blob's time to live now (a device forwards it); false when there is none. */
  keep(id: string): Promise<boolean>;
  /** The stored bytes of a range, streamed; undefined when the blob is gone. */
  read(id: string, range: ByteRange): Promise<Readable | undefined>;
  /** Deletes the bytes, then the index row (a crash in between leaves a row that info() reports as absent). */
  remove(id: string): Promise<void>;
  /** Bytes the owner's blobs take of its quota (their announced sizes, finished or not). */
  usedBytes(owner: string): Promise<number>;
  /** Deletes blobs finished before `finishedBefore` and uploads begun before `unfinishedBefore` and never finished. */
  expire(finishedBefore: number, unfinishedBefore: number): Promise<number>;
}
