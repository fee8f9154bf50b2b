// The installers cannot be built on this machine (no Electron binary), so their configuration is
// checked here with electron-builder's own schema and code, and every file it names must exist.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import yaml from 'js-yaml';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { TRAY_DIR, TRAY_SCALES, TRAY_SIZES, TRAY_VARIANTS, trayIconFiles, trayIconsDir, type TrayStyle } from '../desktop/tray-icons.js';

const root = path.resolve(import.meta.dirname, '..');
const resources = path.join(root, 'resources');
const require = createRequire(import.meta.url);
// The app-builder-lib electron-builder itself runs with, wherever npm put it.
const builderRequire = createRequire(require.resolve('electron-builder/package.json'));
const schemePath = builderRequire.resolve('app-builder-lib/scheme.json');
const appBuilderLib = path.dirname(schemePath);

type Config = Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  publish: { provider: string; url: string };
  win: { target: string[]; icon: string };
  nsis: Record<string, unknown>;
  mac: Record<string, unknown> & { target: { target: string }[]; icon: string };
  linux: Record<string, unknown> & { target: string[]; icon: string; executableName: string; desktop: { entry: Record<string, string> } };
  extraResources: { from: string; to: string }[];
  protocols: { schemes: string[] }[];
};
const loadConfig = (): Config => yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Config;
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;

let check: ValidateFunction | undefined;
/** Validates as electron-builder does (schemaValidator.js: the same ajv options). */
function validate(config: unknown): ErrorObject[] {
  check ??= new Ajv({ allErrors: true, verbose: true, coerceTypes: true, strict: false }).compile(
    JSON.parse(fs.readFileSync(schemePath, 'utf8')) as object,
  );
  return check(structuredClone(config)) ? [] : (check.errors ?? []);
}

function pngSize(file: string): { width: number; height: number } {
  const png = PNG.sync.read(fs.readFileSync(file));
  return { width: png.width, height: png.height };
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own JSON schema", () => {
    expect(validate(loadConfig())).toEqual([]);
  });

  it('fails validation for a misspelt key or a value of the wrong type', () => {
    const typoTop = { ...loadConfig(), electronFuse: { runAsNode: false } };
    expect(validate(typoTop).map((e) => e.params)).toContainEqual({ additionalProperty: 'electronFuse' });
    const config = loadConfig();
    const typoNested = { ...config, mac: { ...config.mac, hardendRuntime: true } };
    expect(validate(typoNested).map((e) => e.params)).toContainEqual({ additionalProperty: 'hardendRuntime' });
    const fuseTypo = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } };
    expect(validate(fuseTypo).map((e) => e.params)).toContainEqual({ additionalProperty: 'runAsNod' });
    const wrongType = { ...config, nsis: { ...config.nsis, oneClick: 'sometimes' } };
    expect(validate(wrongType).some((e) => e.instancePath === '/nsis/oneClick')).toBe(true);
  });

  it("is loaded and accepted by electron-builder's own config code", async () => {
    const { getConfig, validateConfiguration } = builderRequire(path.join(appBuilderLib, 'out/util/config/config.js')) as {
      getConfig: (projectDir: string, configPath: string | null, fromOptions: unknown) => Promise<Record<string, unknown>>;
      validateConfiguration: (config: unknown, debug: { isEnabled: boolean; add: () => void }) => Promise<void>;
    };
    const config = await getConfig(root, 'electron-builder.yml', null);
    await expect(validateConfiguration(config, { isEnabled: false, add: () => undefined })).resolves.toBeUndefined();
    expect(config.appId).toBe('org.warbler.desktop');
    const broken = { ...config, linux: { ...(config.linux as object), icons: 'resources/icons' } };
    await expect(validateConfiguration(broken, { isEnabled: false, add: () => undefined })).rejects.toThrow(/configuration\.linux/);
  });

  it('sets the Electron fuses of the packaged build', () => {
    expect(loadConfig().electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('publishes a generic update feed whose URL comes from WARBLER_UPDATE_URL', () => {
    expect(loadConfig().publish).toEqual({ provider: 'generic', url: '${env.WARBLER_UPDATE_URL}' });
  });

  it('builds per-user NSIS with a choice of folder, DMG and ZIP with hardened runtime, AppImage, deb and rpm', () => {
    const config = loadConfig();
    expect(config.win.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: false, allowToChangeInstallationDirectory: true });
    expect(fs.readFileSync(path.join(root, config.nsis.include as string), 'utf8')).toMatch(/\$isForceCurrentInstall "1"/);
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg', 'zip']);
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true });
    expect(config.linux.target).toEqual(['AppImage', 'deb', 'rpm']);
    expect(config.protocols.flatMap((p) => p.schemes)).toEqual(['warbler']);
  });

  it('keeps native modules out of the asar archive and rebuilds them for Electron', () => {
    const config = loadConfig();
    expect(config.asarUnpack).toContain('**/*.node');
    // sharp's libvips is a shared library, not a .node file: it must be unpacked too.
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/sharp/**', 'node_modules/@img/**']));
    expect(config.npmRebuild).toBe(true);
    expect(Object.keys(pkg.dependencies as object)).toContain('better-sqlite3-multiple-ciphers');
  });

  it('names only files that exist', () => {
    const named: string[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === 'string' && value.startsWith('resources/')) named.push(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    const config = loadConfig();
    walk(config);
    expect(named).toEqual(
      expect.arrayContaining(['resources/icon.ico', 'resources/icon.icns', 'resources/icons', 'resources/entitlements.mac.plist', 'resources/installer.nsh', 'resources/tray']),
    );
    for (const file of named) expect(fs.existsSync(path.join(root, file)), file).toBe(true);
    const plist = fs.readFileSync(path.join(root, config.mac.entitlements as string), 'utf8');
    expect(plist).toMatch(/<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/);
  });

  it('writes a desktop file with name, comment, categories, window class and the warbler:// handler', () => {
    const config = loadConfig();
    const { LinuxTargetHelper } = builderRequire(path.join(appBuilderLib, 'out/targets/LinuxTargetHelper.js')) as {
      LinuxTargetHelper: new (packager: unknown) => { computeDesktopEntry(options: unknown, exec?: string | null): Promise<string> };
    };
    // What electron-builder's LinuxPackager would hand it for this config and package.json.
    const packager = {
      appInfo: { productName: config.productName, sanitizedProductName: config.productName, description: pkg.description },
      executableName: config.linux.executableName,
      info: { metadata: pkg },
      fileAssociations: [],
      config,
      platformSpecificBuildOptions: config.linux,
    };
    return new LinuxTargetHelper(packager).computeDesktopEntry(config.linux, null).then((desktop) => {
      const entry = Object.fromEntries(
        desktop.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      expect(entry).toMatchObject({
        Name: 'Warbler',
        Comment: config.linux.description,
        Categories: 'Network;InstantMessaging;Chat;',
        StartupWMClass: 'warbler',
        MimeType: 'x-scheme-handler/warbler;',
        Icon: 'warbler',
        Exec: '/opt/Warbler/warbler %U',
      });
    });
  });

  it("matches Electron's window class and app id, and carries the metadata deb and rpm insist on", () => {
    const config = loadConfig();
    // Electron names its windows' class (X11) and app id (Wayland) after package.json's desktopName.
    expect(pkg.desktopName).toBe(`${config.linux.desktop.entry.StartupWMClass}.desktop`);
    expect(pkg.desktopName).toBe(`${config.linux.executableName}.desktop`);
    // app.name, and so the userData folder, is package.json's productName: the same as the installers'.
    expect(pkg.productName).toBe(config.productName);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(config.linux.maintainer).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/);
  });
});

describe('app icons', () => {
  const setSizes = [16, 24, 32, 48, 64, 128, 256, 512];

  it('has the Linux icon set: every size as NxN.png, N pixels square', () => {
    const dir = path.join(root, loadConfig().linux.icon);
    expect(fs.readdirSync(dir).sort()).toEqual(setSizes.map((n) => `${n}x${n}.png`).sort());
    for (const n of setSizes) expect(pngSize(path.join(dir, `${n}x${n}.png`))).toEqual({ width: n, height: n });
    expect(pngSize(path.join(resources, 'icon.png'))).toEqual({ width: 1024, height: 1024 });
  });

  it('has an .ico with every Windows size up to 256 and an .icns up to 1024, each a PNG of its size', () => {
    const ico = fs.readFileSync(path.join(resources, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const icoSizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => {
      const at = 6 + 16 * i;
      const size = ico.readUInt8(at) || 256;
      const png = PNG.sync.read(ico.subarray(ico.readUInt32LE(at + 12), ico.readUInt32LE(at + 12) + ico.readUInt32LE(at + 8)));
      expect([png.width, png.height]).toEqual([size, size]);
      return size;
    });
    expect(icoSizes).toEqual([16, 24, 32, 48, 64, 128, 256]);

    const icns = fs.readFileSync(path.join(resources, 'icon.icns'));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const chunks: Record<string, number> = {};
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
      chunks[icns.toString('ascii', at, at + 4)] = PNG.sync.read(icns.subarray(at + 8, at + icns.readUInt32BE(at + 4))).width;
    }
    expect(chunks).toEqual({ icp4: 16, icp5: 32, icp6: 64, ic07: 128, ic08: 256, ic09: 512, ic10: 1024, ic11: 32, ic12: 64, ic13: 256, ic14: 512 });
  });

  it('gives electron-builder icons it uses as they are, with nothing left to convert', async () => {
    const { convertIcon } = builderRequire(path.join(appBuilderLib, 'out/util/iconConverter.js')) as {
      convertIcon: (o: { sources: string[]; fallbackSources: string[]; roots: string[]; format: string; outDir: string }) => Promise<{
        icons: { file: string; size: number }[];
        isFallback: boolean;
      }>;
    };
    const config = loadConfig();
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-icons-'));
    // Converting would need electron-builder's icon tool (a download): point it at nothing, so
    // any conversion fails here at once instead of quietly working on a networked machine.
    const toolset = process.env.ELECTRON_BUILDER_ICONS_TOOLSET_DIR;
    process.env.ELECTRON_BUILDER_ICONS_TOOLSET_DIR = outDir;
    try {
      const convert = (source: string, format: string) => convertIcon({ sources: [source], fallbackSources: [], roots: [resources, root], format, outDir });
      const win = await convert(config.win.icon, 'ico');
      expect(win.icons).toEqual([{ file: path.join(root, config.win.icon), size: 256 }]);
      const mac = await convert(config.mac.icon, 'icns');
      expect(win.isFallback || mac.isFallback).toBe(false);
      expect(mac.icons.map((i) => i.file)).toEqual([path.join(root, config.mac.icon)]);
      const linux = await convert(config.linux.icon, 'set');
      expect(linux.icons.map((i) => i.size)).toEqual(setSizes);
      expect(fs.readdirSync(outDir)).toEqual([]);
    } finally {
      if (toolset === undefined) delete process.env.ELECTRON_BUILDER_ICONS_TOOLSET_DIR;
      else process.env.ELECTRON_BUILDER_ICONS_TOOLSET_DIR = toolset;
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });
});

describe('tray icons', () => {
  const trayDir = trayIconsDir({ isPackaged: false, resourcesPath: '', projectRoot: root });
  const styles: TrayStyle[] = ['color', 'template'];

  it('has every unread variant at every size and scale, in colour and as a template', () => {
    let count = 0;
    for (const variant of TRAY_VARIANTS) {
      for (const size of TRAY_SIZES) {
        for (const style of styles) {
          const files = trayIconFiles(variant, size, style);
          expect(files.map((f) => f.scaleFactor)).toEqual([...TRAY_SCALES]);
          for (const { scaleFactor, file } of files) {
            const px = size * scaleFactor;
            expect(pngSize(path.join(trayDir, file)), file).toEqual({ width: px, height: px });
            count += 1;
          }
        }
      }
    }
    expect(count).toBe(11 * 4 * 2 * 2);
  });

  it('draws a different icon for every variant', () => {
    for (const size of TRAY_SIZES) {
      for (const style of styles) {
        const pixels = TRAY_VARIANTS.map((v) => PNG.sync.read(fs.readFileSync(path.join(trayDir, trayIconFiles(v, size, style)[0]!.file))).data.toString('base64'));
        expect(new Set(pixels).size, `${size} ${style}`).toBe(TRAY_VARIANTS.length);
      }
    }
  });

  it('keeps template images black, their shape in the alpha channel only, as macOS requires', () => {
    for (const size of TRAY_SIZES) {
      const file = trayIconFiles('9+', size, 'template')[1]!.file;
      const { data } = PNG.sync.read(fs.readFileSync(path.join(trayDir, file)));
      let opaque = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 0) continue;
        opaque += 1;
        expect([data[i], data[i + 1], data[i + 2]], `${file} pixel ${i / 4}`).toEqual([0, 0, 0]);
      }
      expect(opaque).toBeGreaterThan(0);
    }
  });

  it('ships the tray folder where the packaged app looks for it', () => {
    expect(loadConfig().extraResources).toContainEqual(expect.objectContaining({ from: `resources/${TRAY_DIR}`, to: TRAY_DIR }));
  });
});
