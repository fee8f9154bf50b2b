// Sending a recorded voice note: staged (encrypted by the host) as a voice attachment with its
// length and waveform, then sent as a message of its own, with no caption.
import type { ChatMessage } from '../../shared/ipc.js';
import { invoke } from './api.js';
import { sendMessage } from './actions.js';
import type { VoiceNote } from './hooks/useVoiceRecorder.js';
import { attachmentType, voiceNoteName } from './lib/voice-note.js';

export async function sendVoiceNote(conversationId: string, note: VoiceNote, recordedAt = new Date()): Promise<ChatMessage> {
  const type = attachmentType(note.type);
  const staged = await window.warbler.stageAttachment(note.blob, {
    name: voiceNoteName(recordedAt, type),
    type,
    voice: true,
    meta: { durationMs: note.durationMs, ...(note.waveform.length > 0 ? { waveform: note.waveform } : {}) },
  });
  try {
    return await sendMessage(conversationId, '', [staged.stagedId]);
  } catch (error) {
    // Refused: nothing refers to the staged file any more; its ciphertext goes.
    invoke('attachments:discard', { stagedId: staged.stagedId }).catch((err: unknown) => console.warn('discarding a staged voice note failed', err));
    throw error;
  }
}
