import type { WarblerApi } from '../../shared/ipc.js';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge) or by web/shim before the app runs. */
    readonly warbler: WarblerApi;
  }
}

export {};
