// What the composer of each conversation is doing besides writing a new message: answering one
// (a quote above the text) or editing one of the person's own.
import { create } from 'zustand';
import type { ChatMessage } from '../../shared/ipc.js';

export type ComposeMode = { kind: 'reply'; message: ChatMessage } | { kind: 'edit'; message: ChatMessage };

interface ComposeState {
  mode: Record<string, ComposeMode | undefined>;
  setMode(conversationId: string, mode: ComposeMode | undefined): void;
}

export const useCompose = create<ComposeState>((set) => ({
  mode: {},
  setMode: (conversationId, mode) => set((s) => ({ mode: { ...s.mode, [conversationId]: mode } })),
}));
