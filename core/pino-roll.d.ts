// pino-roll ships no types: the part of its API core/log-file.ts uses (see its README).
declare module 'pino-roll' {
  import type pino from 'pino';

  /** sonic-boom's stream; its typings leave out these two public fields. */
  type SonicBoom = ReturnType<typeof pino.destination> & { readonly fd: number; readonly destroyed: boolean };

  export interface PinoRollOptions {
    file: string | (() => string);
    /** A number is MB; a string may end in k, m or g. */
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    /** `count` rolled files are kept besides the active one. */
    limit?: { count: number; removeOtherLogFiles?: boolean };
    symlink?: boolean;
    dateFormat?: string;
    /** sonic-boom's options (all but dest). */
    mkdir?: boolean;
    mode?: number;
    sync?: boolean;
    minLength?: number;
  }

  export default function pinoRoll(options: PinoRollOptions): Promise<SonicBoom>;
}
