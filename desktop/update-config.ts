// Whether the app looks for updates, and where: electron-updater's generic provider, a plain HTTPS
// folder holding the installers and electron-builder's latest*.yml. The first of these wins:
//   1. "autoUpdate": false in <userData>/config.json turns updates off, whatever else is set;
//   2. the WARBLER_UPDATE_URL environment variable;
//   3. "updateUrl" in <userData>/config.json;
//   4. the URL the installer was built with (WARBLER_UPDATE_URL at `npm run dist` time, which
//      electron-builder writes to resources/app-update.yml).
// Never in development (an unpackaged app has nothing to replace), never without a URL.
import path from 'node:path';
import yaml from 'js-yaml';
import { z } from 'zod';
import { isLoopbackHost } from '../shared/urls.js';
import { readTextIfExists } from '../core/atomic-file.js';

export const UPDATE_URL_ENV = 'WARBLER_UPDATE_URL';
export const CONFIG_FILE = 'config.json';
/** electron-builder's name for the feed file in the packaged app's resources. */
export const BUILT_IN_FEED_FILE = 'app-update.yml';
/** Where the feed actually used is written for electron-updater, under userData. */
export const FEED_FILE = path.join('updates', 'app-update.yml');
/** electron-builder's default for the product "Warbler": the download cache's folder name. */
export const DEFAULT_CACHE_DIR = 'warbler-updater';

/**
 * An update feed URL: HTTPS, or HTTP to this machine only (a local test server). Code fetched over
 * plain HTTP could be swapped on the way, and Linux packages are not signature-checked on install.
 */
export const UpdateUrl = z
  .string()
  .trim()
  .min(1, 'is empty')
  .transform((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: `is not a URL: ${text}` });
      return z.NEVER;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: `must be an http(s) URL, not ${url.protocol}` });
    } else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      ctx.addIssue({ code: 'custom', message: 'must use https:// (http:// only for this machine)' });
    }
    if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not hold a user name or password' });
    return url.href;
  });

/** config.json may hold other settings too; these are the two about updates. */
const ConfigFile = z.looseObject({
  autoUpdate: z.boolean().optional(),
  updateUrl: UpdateUrl.optional(),
});

const BuiltInFeed = z.looseObject({
  provider: z.literal('generic'),
  url: UpdateUrl,
  updaterCacheDirName: z.string().regex(/^[\w.-]+$/).optional(),
  /** Windows: the signer's names an update's signature must carry; without them NSIS updates go unchecked. */
  publisherName: z.union([z.string(), z.array(z.string())]).optional(),
});

/** Packages that electron-updater installs as root (pkexec): only the installer's own feed may feed them. */
const SYSTEM_PACKAGES = new Set(['deb', 'rpm', 'pacman']);

export type UpdateSource = 'environment' | 'config.json' | 'installer';

export type UpdatePlan =
  | { enabled: true; url: string; source: UpdateSource; cacheDirName: string; publisherName?: string[] }
  | { enabled: false; reason: string };

export interface UpdateInputs {
  packaged: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** The text of <userData>/config.json; undefined when there is none. */
  configFile?: string | undefined;
  /** The text of the packaged app's resources/app-update.yml; undefined when there is none. */
  builtInFeed?: string | undefined;
  /** resources/package-type as electron-builder writes it for Linux packages ('deb', 'rpm', …). */
  packageType?: string | undefined;
}

export function planUpdates(inputs: UpdateInputs): UpdatePlan {
  if (!inputs.packaged) return { enabled: false, reason: 'this is not a packaged app (development)' };

  let config: z.infer<typeof ConfigFile> = {};
  if (inputs.configFile !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(inputs.configFile);
    } catch (err) {
      return { enabled: false, reason: `${CONFIG_FILE} is not valid JSON (${(err as Error).message})` };
    }
    const parsed = ConfigFile.safeParse(json);
    if (!parsed.success) return { enabled: false, reason: `${CONFIG_FILE}: ${describe(parsed.error)}` };
    config = parsed.data;
  }
  if (config.autoUpdate === false) return { enabled: false, reason: `turned off in ${CONFIG_FILE} ("autoUpdate": false)` };

  let builtIn: z.infer<typeof BuiltInFeed> | undefined;
  let builtInProblem: string | undefined;
  if (inputs.builtInFeed !== undefined) {
    try {
      const parsed = BuiltInFeed.safeParse(yaml.load(inputs.builtInFeed));
      if (parsed.success) builtIn = parsed.data;
      else builtInProblem = describe(parsed.error);
    } catch (err) {
      builtInProblem = (err as Error).message;
    }
  }
  const cacheDirName = builtIn?.updaterCacheDirName ?? DEFAULT_CACHE_DIR;
  const publisher = builtIn?.publisherName;
  const signer = publisher === undefined ? {} : { publisherName: typeof publisher === 'string' ? [publisher] : publisher };

  // Whoever can write the environment or config.json must not choose what root installs.
  if (inputs.packageType !== undefined && SYSTEM_PACKAGES.has(inputs.packageType.trim())) {
    if (builtIn) return { enabled: true, url: builtIn.url, source: 'installer', cacheDirName, ...signer };
    return { enabled: false, reason: `a ${inputs.packageType.trim()} package takes updates only from the feed it was built with, and it has none` };
  }

  const fromEnv = inputs.env[UPDATE_URL_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const url = UpdateUrl.safeParse(fromEnv);
    if (!url.success) return { enabled: false, reason: `${UPDATE_URL_ENV} ${describe(url.error)}` };
    return { enabled: true, url: url.data, source: 'environment', cacheDirName, ...signer };
  }
  if (config.updateUrl !== undefined) return { enabled: true, url: config.updateUrl, source: 'config.json', cacheDirName, ...signer };
  if (builtIn) return { enabled: true, url: builtIn.url, source: 'installer', cacheDirName, ...signer };
  if (builtInProblem) return { enabled: false, reason: `the installer's ${BUILT_IN_FEED_FILE} is not usable: ${builtInProblem}` };
  return {
    enabled: false,
    reason: `no update URL (set ${UPDATE_URL_ENV}, or "updateUrl" in ${CONFIG_FILE}, or build with ${UPDATE_URL_ENV})`,
  };
}

/**
 * The feed file handed to electron-updater (as its updateConfigPath). Written even when the URL
 * came from the installer: electron-updater reads its download cache's folder name from this file,
 * and an app built without a URL has none of its own. JSON is YAML, so no serializer is needed.
 */
export function feedFileText(plan: Extract<UpdatePlan, { enabled: true }>): string {
  const feed = { provider: 'generic', url: plan.url, updaterCacheDirName: plan.cacheDirName, ...(plan.publisherName ? { publisherName: plan.publisherName } : {}) };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

/** Reads what planUpdates needs from disk; a missing file is simply not there. */
export function readUpdateInputs(where: {
  packaged: boolean;
  userDataDir: string;
  resourcesDir: string;
  env: Readonly<Record<string, string | undefined>>;
}): UpdateInputs {
  return {
    packaged: where.packaged,
    env: where.env,
    configFile: readTextIfExists(path.join(where.userDataDir, CONFIG_FILE)),
    builtInFeed: where.packaged ? readTextIfExists(path.join(where.resourcesDir, BUILT_IN_FEED_FILE)) : undefined,
    packageType: where.packaged ? readTextIfExists(path.join(where.resourcesDir, 'package-type')) : undefined,
  };
}

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `"${issue.path.join('.')}" ${issue.message}` : issue.message)).join('; ');
}
