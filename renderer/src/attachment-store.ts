// Attachments in the page: what each file's transfer looks like now (fed by 'attachment' events and by
// the messages that carry them), and what each conversation's composer has staged for its next message.
import { create } from 'zustand';
import type { AttachmentView, StagedAttachment } from '../../shared/attachment.js';
import type { Failure } from './lib/error-text.js';

/** A file in the composer: being read and encrypted by the host, then staged (or refused). */
export interface StagedItem {
  /** The page's own key for it (the staged id comes once the host took it). */
  key: string;
  file: File;
  /** Images: sent as a plain file, not re-encoded. */
  asFile: boolean;
  /** A small data: URL of an image, for the chip. */
  preview: string | null;
  staged: StagedAttachment | null;
  error: Failure | null;
}

interface AttachmentsState {
  views: Record<string, AttachmentView>;
  staging: Record<string, StagedItem[]>;
  /** The image shown large, among its conversation's images; null when the viewer is closed. */
  viewer: { conversationId: string; id: string } | null;
  openViewer(conversationId: string, id: string): void;
  closeViewer(): void;
  putView(view: AttachmentView): void;
  putViews(views: readonly AttachmentView[]): void;
  setStaging(conversationId: string, update: (items: StagedItem[]) => StagedItem[]): void;
}

export const useAttachments = create<AttachmentsState>((set) => ({
  views: {},
  staging: {},
  viewer: null,
  openViewer: (conversationId, id) => set({ viewer: { conversationId, id } }),
  closeViewer: () => set({ viewer: null }),
  putView: (view) => set((s) => ({ views: { ...s.views, [view.id]: view } })),
  putViews: (views) =>
    set((s) => {
      if (views.length === 0) return s;
      const next = { ...s.views };
      for (const view of views) next[view.id] = view;
      return { views: next };
    }),
  setStaging: (conversationId, update) =>
    set((s) => ({ staging: { ...s.staging, [conversationId]: update(s.staging[conversationId] ?? []) } })),
}));

/** The newest view of an attachment: from its events, else as its message carried it. */
export function useAttachmentView(initial: AttachmentView): AttachmentView {
  return useAttachments((s) => s.views[initial.id]) ?? initial;
}
