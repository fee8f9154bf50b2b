// npm run icons: renders every icon the installers and the tray use from resources/icon.svg, in
// Chromium (the same renderer on every machine, so the committed PNGs only change when this script
// or the SVG does). Writes:
//   resources/icon.png                 1024 px, macOS and electron-builder's fallback
//   resources/icons/NxN.png            the Linux icon set (hicolor sizes, 16…512)
//   resources/icon.ico, icon.icns      Windows and macOS containers of those PNGs, so packaging
//                                      needs no icon converter of its own (electron-builder's is
//                                      a download)
//   resources/tray/S/tray-V[@2x].png   tray icons per unread variant V, size S and scale
//   resources/tray/S/tray-VTemplate…   the monochrome ones macOS tints for light and dark menu bars
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_HELP, findChromium } from './chromium.mjs';

const RES = 'resources';
const APP_ICON_SET = [16, 24, 32, 48, 64, 128, 256, 512];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
// As desktop/tray-icons.ts has them (this script runs without a build); tests/packaging.test.ts
// fails when the two disagree.
const TRAY_VARIANTS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '9+'];
const TRAY_SIZES = [16, 20, 24, 32];
const TRAY_SCALES = [1, 2];

const appSvg = fs.readFileSync(path.join(RES, 'icon.svg'), 'utf8');
const inner = appSvg.replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
const bird = /<path d="(M120[^"]+)"/.exec(appSvg)?.[1];
const eye = /<circle cx="(\d+)" cy="(\d+)" r="(\d+)"/.exec(appSvg);
const smile = /<path d="(M176[^"]+)" stroke="[^"]+" stroke-width="(\d+)"/.exec(appSvg);
if (!bird || !eye || !smile) throw new Error('resources/icon.svg: the bird, its eye or its smile is not where this script expects it');

const BADGE_FONT = "font-family=\"'DejaVu Sans', 'Liberation Sans', Arial, sans-serif\" font-weight=\"700\"";

/** The unread badge's shape (a circle for one digit, a pill for "9+") in a 512-unit square. */
function badgeGeometry(label) {
  const r = 150;
  const width = label.length > 1 ? 400 : 2 * r;
  return { x: 512 - width, y: 0, width, height: 2 * r, r, cx: 512 - width / 2, cy: r, fontSize: label.length > 1 ? 216 : 250 };
}

/**
 * A tray icon as SVG. Colour: the app icon with a red badge. Template: the bird alone in black
 * (eye and smile cut out), the badge black with its number cut out; macOS paints it to suit the bar.
 * A transparent gap around the badge keeps it apart from the bird at 16 px.
 */
function traySvg(variant, template) {
  const label = variant === '0' ? null : variant;
  const b = label ? badgeGeometry(label) : null;
  const gap = 28;
  const cutout = b
    ? `<rect x="${b.x - gap}" y="${b.y - gap}" width="${b.width + 2 * gap}" height="${b.height + 2 * gap}" rx="${b.r + gap}" fill="black"/>`
    : '';
  const base = template
    ? // The bird fills the square: scale its 336×290 box (x 120…456, y 136…426) to the 512 frame.
      `<g transform="translate(256 256) scale(1.45) translate(-288 -281)">
         <mask id="bird"><rect x="0" y="0" width="512" height="512" fill="white"/>
           <circle cx="${eye[1]}" cy="${eye[2]}" r="${Number(eye[3]) * 1.3}" fill="black"/>
           <path d="${smile[1]}" stroke="black" stroke-width="${Number(smile[2]) * 1.3}" fill="none" stroke-linecap="round"/></mask>
         <path d="${bird}" fill="black" mask="url(#bird)"/></g>`
    : inner;
  const badge = b
    ? template
      ? `<mask id="digits"><rect x="0" y="0" width="512" height="512" fill="white"/>
           <text x="${b.cx}" y="${b.cy}" text-anchor="middle" dominant-baseline="central" font-size="${b.fontSize}" ${BADGE_FONT} fill="black">${label}</text></mask>
         <rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="${b.r}" fill="black" mask="url(#digits)"/>`
      : `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="${b.r}" fill="#dc2626"/>
         <text x="${b.cx}" y="${b.cy}" text-anchor="middle" dominant-baseline="central" font-size="${b.fontSize}" ${BADGE_FONT} fill="#fff">${label}</text>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
    <mask id="gap"><rect x="-512" y="-512" width="1536" height="1536" fill="white"/>${cutout}</mask>
    <g mask="url(#gap)">${base}</g>${badge}</svg>`;
}

function trayFileName(variant, template, scale) {
  const name = `tray-${variant === '9+' ? '9plus' : variant}${template ? 'Template' : ''}`;
  return `${name}${scale === 1 ? '' : `@${scale}x`}.png`;
}

// ICO: a directory of PNG images (Windows Vista and later read PNG entries; 256 must be PNG anyway).
function ico(pngs) {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach(({ size, png }, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at); // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...pngs.map((p) => p.png)]);
}

// ICNS: typed chunks of PNG data; the type says which size (and retina pair) each one is.
const ICNS_TYPES = [
  ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
  ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512],
];
function icns(pngBySize) {
  const chunks = ICNS_TYPES.map(([type, size]) => {
    const png = pngBySize.get(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + chunks.reduce((n, c) => n + c.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

// The same Chromium the end-to-end tests use.
const executablePath = findChromium();
if (!executablePath) {
  console.error(`icons: ${CHROMIUM_HELP}`);
  process.exit(1);
}
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  async function render(svg, px) {
    await page.setViewportSize({ width: px, height: px });
    // The root element at exactly px × px, whatever size the source SVG states.
    const sized = svg.replace(/<svg\b[^>]*>/, (tag) =>
      tag.replace(/\s(?:width|height)="[^"]*"/g, '').replace('<svg', `<svg width="${px}" height="${px}" style="display:block"`),
    );
    await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${sized}</body></html>`);
    return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: px, height: px } });
  }

  const appPng = new Map();
  for (const px of [...new Set([...APP_ICON_SET, ...ICO_SIZES, 1024])].sort((a, b) => a - b)) appPng.set(px, await render(appSvg, px));
  fs.mkdirSync(path.join(RES, 'icons'), { recursive: true });
  for (const px of APP_ICON_SET) fs.writeFileSync(path.join(RES, 'icons', `${px}x${px}.png`), appPng.get(px));
  fs.writeFileSync(path.join(RES, 'icon.png'), appPng.get(1024));
  fs.writeFileSync(path.join(RES, 'icon.ico'), ico(ICO_SIZES.map((size) => ({ size, png: appPng.get(size) }))));
  fs.writeFileSync(path.join(RES, 'icon.icns'), icns(appPng));

  fs.rmSync(path.join(RES, 'tray'), { recursive: true, force: true });
  let count = 0;
  for (const size of TRAY_SIZES) {
    const dir = path.join(RES, 'tray', String(size));
    fs.mkdirSync(dir, { recursive: true });
    for (const variant of TRAY_VARIANTS) {
      for (const template of [false, true]) {
        const svg = traySvg(variant, template);
        for (const scale of TRAY_SCALES) {
          fs.writeFileSync(path.join(dir, trayFileName(variant, template, scale)), await render(svg, size * scale));
          count += 1;
        }
      }
    }
  }
  console.log(`icons: ${APP_ICON_SET.length + 3} app icons and ${count} tray icons written to ${RES}/`);
} finally {
  await browser.close();
}
