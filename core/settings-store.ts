// The desktop settings file (settings.json beside the profile folder). A damaged or hand-edited file
// never stops the app: what is valid is kept, the rest falls back to defaults, and the original is
// kept aside so nothing the person wrote is lost.
import fs from 'node:fs';
import { EventEmitter } from 'node:events';
import {
  applySettingsPatch,
  DEFAULT_DESKTOP_SETTINGS,
  DesktopSettings,
  DesktopSettingsPatch,
  type DesktopSettings as Settings,
} from '../shared/desktop-settings.js';
import { describeZodError } from '../shared/protocol.js';
import type { ErrorCode } from '../shared/errors.js';
import { writeFileAtomic } from './atomic-file.js';

export const SETTINGS_FILE = 'settings.json';

export class SettingsStore extends EventEmitter<{ change: [Settings] }> {
  private value: Settings;
  /** Why the file on disk was not used as it was, for the log. */
  readonly problem: string | undefined;

  constructor(readonly file: string) {
    super();
    const { value, problem } = load(file);
    this.value = value;
    this.problem = problem;
  }

  get(): Settings {
    return this.value;
  }

  /** Validates the change, writes the file atomically, then tells listeners. */
  update(patch: unknown): Settings {
    const parsed = DesktopSettingsPatch.safeParse(patch);
    if (!parsed.success) throw new SettingsError(describeZodError(parsed.error));
    const next = applySettingsPatch(this.value, parsed.data);
    writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    this.value = next;
    this.emit('change', next);
    return next;
  }
}

export class SettingsError extends Error {
  readonly code: ErrorCode = 'bad_request';
}

function load(file: string): { value: Settings; problem?: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { value: DEFAULT_DESKTOP_SETTINGS };
    return { value: DEFAULT_DESKTOP_SETTINGS, problem: `${file} could not be read (${(err as Error).message}); using defaults` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    keepAside(file);
    return { value: DEFAULT_DESKTOP_SETTINGS, problem: `${file} is not JSON; kept as ${file}.bad, using defaults` };
  }
  const whole = DesktopSettings.safeParse(json);
  if (whole.success) return { value: whole.data };
  // Keep each valid part: one bad field must not reset every other choice.
  const salvaged = salvage(json);
  keepAside(file);
  return { value: salvaged, problem: `${file}: ${describeZodError(whole.error)}; kept as ${file}.bad, invalid parts reset` };
}

function salvage(json: unknown): Settings {
  let value = DEFAULT_DESKTOP_SETTINGS;
  if (typeof json !== 'object' || json === null) return value;
  const source = json as Record<string, unknown>;
  const nested = (key: string) => (typeof source[key] === 'object' && source[key] !== null ? (source[key] as Record<string, unknown>) : {});
  const attempts: unknown[] = [
    { closeToTray: source.closeToTray },
    { startAtLogin: source.startAtLogin },
    ...Object.entries(nested('notifications')).map(([k, v]) => ({ notifications: { [k]: v } })),
    ...Object.entries(nested('appearance')).map(([k, v]) => ({ appearance: { [k]: v } })),
    ...Object.entries(nested('dnd')).flatMap(([k, v]) =>
      k === 'schedule' && typeof v === 'object' && v !== null
        ? Object.entries(v).map(([sk, sv]) => ({ dnd: { schedule: { [sk]: sv } } }))
        : [{ dnd: { [k]: v } }],
    ),
  ];
  for (const attempt of attempts) {
    const patch = DesktopSettingsPatch.safeParse(attempt);
    if (!patch.success) continue;
    try {
      value = applySettingsPatch(value, patch.data);
    } catch {
      // A part that is valid alone but not with the rest stays at its default.
    }
  }
  return value;
}

function keepAside(file: string): void {
  try {
    fs.copyFileSync(file, `${file}.bad`);
  } catch {
    // Nothing to keep, or nowhere to keep it: the defaults still apply.
  }
}
