// send --file and download: files through the same core as the app. A file is encrypted into the
// profile as it is read (staged), uploaded, and only then is the message sent; a download is
// fetched, verified against the digest its message carries, and decrypted to where it is asked.
import fs from 'node:fs';
import path from 'node:path';
import { filePieces } from '../../core/attachments/staging.js';
import type { WarblerClient } from '../../core/client.js';
import type { ChatMessage } from '../../shared/ipc.js';
import { UsageError } from '../failure.js';
import { mimeTypeOf } from '../mime.js';

/** Stages each file, then sends them in one message; throws (one line) when any cannot go. */
export async function sendFiles(client: WarblerClient, to: string, text: string, files: readonly string[], asFile: boolean, replyTo?: string): Promise<ChatMessage> {
  const quoting = replyTo === undefined ? {} : { replyTo };
  if (files.length === 0) return client.send(to, text, { queue: false, ...quoting });
  if (files.length > 10) throw new UsageError('a message carries at most 10 files');
  const staged: string[] = [];
  try {
    for (const file of files) {
      // Said here, by its path: the core's "could not be read" would not say which.
      if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) throw new Error(`${file}: no such file`);
      const options = { name: path.basename(file), type: mimeTypeOf(file), ...(asFile ? { asFile } : {}) };
      const attachment = await client.stageAttachment(filePieces(file), options).catch((err: unknown) => {
        throw new Error(`${file}: ${(err as Error).message}`);
      });
      staged.push(attachment.stagedId);
    }
    return await client.send(to, text, { queue: false, attachments: staged, ...quoting });
  } catch (err) {
    await Promise.all(staged.map((id) => client.discardStaged(id)));
    throw err;
  }
}

export async function downloadFile(client: WarblerClient, id: string, out: string): Promise<void> {
  if (!client.attachment(id)) throw new Error(`no file ${id} in this profile (run "warbler sync" first to receive it)`);
  await client.saveAttachment(id, out);
}
