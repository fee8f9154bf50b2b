// npm run dist [-- electron-builder options, e.g. --linux deb]: builds, then the installers for this
// OS into release/ (electron-builder.yml). The update feed's URL comes from WARBLER_UPDATE_URL, and
// electron-builder stops at a ${env.…} it cannot expand: without that variable the installers are
// built with no feed of their own (the app then looks for updates only where config.json or the
// environment names a URL).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });

// electron-builder's own command line, so every option it documents works here unchanged.
const { build } = require('electron-builder');
const { createYargs, configureBuildCommand } = require('electron-builder/out/builder.js');
const args = configureBuildCommand(createYargs()).strict().parseSync(process.argv.slice(2));

const feed = process.env.WARBLER_UPDATE_URL?.trim();
if (feed) {
  // The rule the app applies when it reads the URL back (desktop/update-config.ts).
  const { UpdateUrl } = await import('../dist/desktop/update-config.js');
  const parsed = UpdateUrl.safeParse(feed);
  if (!parsed.success) {
    console.error(`warbler: WARBLER_UPDATE_URL ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
    process.exit(2);
  }
  console.log(`warbler: update feed ${parsed.data}`);
} else {
  console.log('warbler: WARBLER_UPDATE_URL is not set: these installers have no update feed of their own');
  // Options given on the command line are merged over electron-builder.yml last, so null wins.
  const noFeed = { publish: null };
  const given = args.config;
  args.config =
    given === undefined ? noFeed : typeof given === 'string' ? [given, noFeed] : Array.isArray(given) ? [...given, noFeed] : { ...given, ...noFeed };
}

try {
  const files = await build(args);
  console.log(`warbler: ${files.length} file(s) in release/`);
} catch (err) {
  console.error(`warbler: ${err.message}`);
  process.exit(1);
}
