// The blob store as tus sees it (a DataStore): creation, appending at the offset, the offset for a
// resume, and termination. Who uploads comes in the upload's metadata, which the blob routes set
// (onUploadCreate) in place of the client's; the client's own metadata, its id alone, is never kept.
import type { Readable } from 'node:stream';
import { DataStore, ERRORS, Upload } from '@tus/server';
import type { BlobStore } from './blob-store.js';
import { BlobRefusal, blobErrorBody, statusBody } from './errors.js';

/** The metadata key the routes put the uploading account under. */
export const OWNER_KEY = 'owner';

export class TusBlobStore extends DataStore {
  constructor(
    private readonly store: BlobStore,
    private readonly quotaBytes: number,
  ) {
    super();
    // No deferred length: the quota counts an upload's length from its creation.
    this.extensions = ['creation', 'creation-with-upload', 'termination'];
  }

  override async create(upload: Upload): Promise<Upload> {
    const owner = upload.metadata?.[OWNER_KEY];
    if (!owner || upload.size === undefined) throw new Error('an upload reached the store without its owner or length');
    const result = await this.store.create({ id: upload.id, owner, size: upload.size }, this.quotaBytes);
    if (result === 'exists') throw new BlobRefusal(statusBody(409, 'an attachment with this id exists'));
    if (result === 'quota_exceeded') throw new BlobRefusal(blobErrorBody('quota_exceeded'));
    upload.metadata = undefined;
    return upload;
  }

  override async getUpload(id: string): Promise<Upload> {
    const info = await this.store.info(id);
    if (!info) throw ERRORS.FILE_NOT_FOUND;
    return new Upload({ id, size: info.size, offset: info.offset, creation_date: new Date(info.createdAt).toISOString() });
  }

  override async write(source: Readable, id: string, offset: number): Promise<number> {
    return this.store.append(id, source, offset);
  }

  override async remove(id: string): Promise<void> {
    await this.store.remove(id);
  }
}
