// What the relay knows of each file attached to a push (ntfy's attachments, server/push/attachments.ts):
// its size and when it expires. The total of the sizes is what --attachment-total-size-limit caps;
// keeping it here (not by listing the folder) makes the check and the claim one atomic step.

export interface PushAttachmentRow {
  /** The push message's id: the file is DATA/push-attachments/<id>. */
  id: string;
  size: number;
  /** Unix seconds, as the message's `attachment.expires`. */
  expires: number;
}

export interface PushAttachmentIndex {
  /**
   * Records a stored file unless all files together would then hold more than `totalBytes`;
   * false (nothing recorded) when they would. Atomic: two uploads cannot both slip under the limit.
   */
  claim(row: PushAttachmentRow, totalBytes: number): Promise<boolean>;
  get(id: string): Promise<PushAttachmentRow | undefined>;
  remove(id: string): Promise<void>;
  /** The sizes of every recorded file, summed. */
  totalBytes(): Promise<number>;
  /** Ids of files whose expiry is at or before `nowS`, at most `limit`. */
  expired(nowS: number, limit: number): Promise<string[]>;
}
