import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CACHE_DIR, feedFileText, planUpdates, readUpdateInputs, UpdateUrl, type UpdatePlan } from './update-config.js';

// What electron-builder 26 writes to resources/app-update.yml for a generic publish config.
const BUILT_IN = 'provider: generic\nurl: https://updates.example.org/warbler\nupdaterCacheDirName: warbler-updater\n';

function enabled(plan: UpdatePlan): Extract<UpdatePlan, { enabled: true }> {
  if (!plan.enabled) throw new Error(`expected updates on, got off: ${plan.reason}`);
  return plan;
}
function reason(plan: UpdatePlan): string {
  if (plan.enabled) throw new Error(`expected updates off, got ${plan.url}`);
  return plan.reason;
}

describe('UpdateUrl', () => {
  it('takes https URLs, and http to this machine', () => {
    expect(UpdateUrl.parse(' https://updates.example.org/warbler/ ')).toBe('https://updates.example.org/warbler/');
    expect(UpdateUrl.parse('http://127.0.0.1:8089/feed')).toBe('http://127.0.0.1:8089/feed');
    expect(UpdateUrl.parse('http://localhost:8089')).toBe('http://localhost:8089/');
  });

  it('refuses other schemes, plain http to another host, credentials and non-URLs', () => {
    for (const bad of ['ftp://updates.example.org/', 'file:///tmp/feed', 'javascript:alert(1)', 'http://updates.example.org/',
      'https://me:secret@updates.example.org/', 'updates.example.org', '']) {
      expect(UpdateUrl.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe('planUpdates', () => {
  it('is off in development, whatever is configured', () => {
    const plan = planUpdates({ packaged: false, env: { WARBLER_UPDATE_URL: 'https://a.example.org/' }, builtInFeed: BUILT_IN });
    expect(reason(plan)).toMatch(/not a packaged app/);
  });

  it('is off when no URL is configured anywhere', () => {
    expect(reason(planUpdates({ packaged: true, env: {} }))).toMatch(/no update URL/);
    expect(reason(planUpdates({ packaged: true, env: { WARBLER_UPDATE_URL: '  ' }, configFile: '{}' }))).toMatch(/no update URL/);
  });

  it('uses the URL the installer was built with', () => {
    expect(enabled(planUpdates({ packaged: true, env: {}, builtInFeed: BUILT_IN }))).toEqual({
      enabled: true,
      url: 'https://updates.example.org/warbler',
      source: 'installer',
      cacheDirName: 'warbler-updater',
    });
  });

  it('prefers config.json over the installer, and the environment over both', () => {
    const configFile = JSON.stringify({ updateUrl: 'https://mirror.example.org/w/' });
    const fromConfig = enabled(planUpdates({ packaged: true, env: {}, configFile, builtInFeed: BUILT_IN }));
    expect([fromConfig.url, fromConfig.source]).toEqual(['https://mirror.example.org/w/', 'config.json']);
    const fromEnv = enabled(
      planUpdates({ packaged: true, env: { WARBLER_UPDATE_URL: 'https://env.example.org/' }, configFile, builtInFeed: BUILT_IN }),
    );
    expect([fromEnv.url, fromEnv.source]).toEqual(['https://env.example.org/', 'environment']);
  });

  it('keeps the installer\'s download cache folder whichever URL is used, with a default when there is none', () => {
    const env = { WARBLER_UPDATE_URL: 'https://env.example.org/' };
    const cacheDir = (text: string) => enabled(planUpdates({ packaged: true, env, builtInFeed: text })).cacheDirName;
    expect(cacheDir(BUILT_IN.replace('warbler-updater', 'warbler-beta-updater'))).toBe('warbler-beta-updater');
    expect(enabled(planUpdates({ packaged: true, env })).cacheDirName).toBe(DEFAULT_CACHE_DIR);
  });

  it('lets "autoUpdate": false in config.json turn updates off over every URL', () => {
    const plan = planUpdates({
      packaged: true,
      env: { WARBLER_UPDATE_URL: 'https://env.example.org/' },
      configFile: JSON.stringify({ autoUpdate: false, updateUrl: 'https://mirror.example.org/' }),
      builtInFeed: BUILT_IN,
    });
    expect(reason(plan)).toMatch(/turned off in config\.json/);
  });

  it('keeps other settings in config.json out of its way', () => {
    const configFile = JSON.stringify({ theme: 'dark', updateUrl: 'https://mirror.example.org/' });
    expect(enabled(planUpdates({ packaged: true, env: {}, configFile })).url).toBe('https://mirror.example.org/');
  });

  it('says what is wrong with a bad setting, and stays off rather than falling back to another URL', () => {
    const withBuiltIn = { packaged: true, builtInFeed: BUILT_IN };
    expect(reason(planUpdates({ ...withBuiltIn, env: { WARBLER_UPDATE_URL: 'http://updates.example.org/' } }))).toMatch(
      /WARBLER_UPDATE_URL must use https/,
    );
    expect(reason(planUpdates({ ...withBuiltIn, env: {}, configFile: '{"updateUrl": "ftp://x.example.org/"}' }))).toMatch(
      /config\.json: "updateUrl" must be an http\(s\) URL/,
    );
    expect(reason(planUpdates({ ...withBuiltIn, env: {}, configFile: '{"autoUpdate": "no"}' }))).toMatch(/config\.json: "autoUpdate"/);
    expect(reason(planUpdates({ ...withBuiltIn, env: {}, configFile: '{"updateUrl": ' }))).toMatch(/config\.json is not valid JSON/);
  });

  it('does not use an installer feed that is not a generic https one', () => {
    const s3 = 'provider: s3\nbucket: warbler\n';
    expect(reason(planUpdates({ packaged: true, env: {}, builtInFeed: s3 }))).toMatch(/app-update\.yml is not usable/);
    const plain = BUILT_IN.replace('https://', 'http://');
    expect(reason(planUpdates({ packaged: true, env: {}, builtInFeed: plain }))).toMatch(/must use https/);
    expect(reason(planUpdates({ packaged: true, env: {}, builtInFeed: 'url: [' }))).toMatch(/app-update\.yml is not usable/);
  });
});

describe('update safety', () => {
  it('keeps the installer\'s Windows signer names whichever URL is used, so NSIS updates stay signature-checked', () => {
    const feed = `${BUILT_IN}publisherName:\n  - Warbler Authors\n`;
    const plan = enabled(planUpdates({ packaged: true, env: { WARBLER_UPDATE_URL: 'https://mirror.example.org/' }, builtInFeed: feed }));
    expect(plan.publisherName).toEqual(['Warbler Authors']);
    expect(yaml.load(feedFileText(plan))).toMatchObject({ url: 'https://mirror.example.org/', publisherName: ['Warbler Authors'] });
  });

  it('lets no environment or config.json choose what a deb or rpm installs as root', () => {
    const plan = enabled(
      planUpdates({
        packaged: true,
        env: { WARBLER_UPDATE_URL: 'https://evil.example.org/' },
        configFile: '{"updateUrl": "https://evil.example.org/"}',
        builtInFeed: BUILT_IN,
        packageType: 'deb\n',
      }),
    );
    expect(plan).toMatchObject({ url: 'https://updates.example.org/warbler', source: 'installer' });
    expect(reason(planUpdates({ packaged: true, env: { WARBLER_UPDATE_URL: 'https://evil.example.org/' }, packageType: 'rpm' }))).toMatch(/rpm package/);
  });
});

describe('feedFileText', () => {
  it('is a generic feed electron-updater can read as YAML', () => {
    const plan = enabled(planUpdates({ packaged: true, env: {}, builtInFeed: BUILT_IN }));
    expect(yaml.load(feedFileText(plan))).toEqual({
      provider: 'generic',
      url: 'https://updates.example.org/warbler',
      updaterCacheDirName: 'warbler-updater',
    });
  });
});

describe('readUpdateInputs', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function folders() {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-updates-'));
    const userDataDir = path.join(dir, 'userData');
    const resourcesDir = path.join(dir, 'resources');
    fs.mkdirSync(userDataDir);
    fs.mkdirSync(resourcesDir);
    return { userDataDir, resourcesDir };
  }

  it('reads config.json from userData and app-update.yml from the resources', () => {
    const where = folders();
    fs.writeFileSync(path.join(where.userDataDir, 'config.json'), '{"updateUrl": "https://mirror.example.org/"}');
    fs.writeFileSync(path.join(where.resourcesDir, 'app-update.yml'), BUILT_IN);
    const inputs = readUpdateInputs({ ...where, packaged: true, env: {} });
    expect(inputs.configFile).toContain('mirror.example.org');
    expect(inputs.builtInFeed).toBe(BUILT_IN);
    expect(enabled(planUpdates(inputs)).source).toBe('config.json');
  });

  it('treats missing files as not configured', () => {
    const inputs = readUpdateInputs({ ...folders(), packaged: true, env: {} });
    expect(inputs.configFile).toBeUndefined();
    expect(inputs.builtInFeed).toBeUndefined();
    expect(reason(planUpdates(inputs))).toMatch(/no update URL/);
  });
});
