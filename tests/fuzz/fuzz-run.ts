// How long the fuzz targets run, and the corpus they replay first. `npm test` runs each property a
// few dozen times from a fixed seed, so a failure reproduces; `npm run fuzz` asks for thousands of
// runs through WARBLER_FUZZ_RUNS, and WARBLER_FUZZ_SEED explores from another seed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';

const DEFAULT_SEED = 20_260_605;

function envInteger(name: string): number | undefined {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && Number.isSafeInteger(value) ? value : undefined;
}

export const FUZZ_SEED = envInteger('WARBLER_FUZZ_SEED') ?? DEFAULT_SEED;

/** Runs per property: `defaultRuns` keeps `npm test` within its time; WARBLER_FUZZ_RUNS overrides it. */
export function fuzzRuns(defaultRuns: number): number {
  const asked = envInteger('WARBLER_FUZZ_RUNS');
  return asked !== undefined && asked > 0 ? asked : defaultRuns;
}

/** A property's time limit: generous per run, since a loaded CI machine may be several times slower. */
export function timeoutFor(runs: number, msPerRun: number): number {
  return 30_000 + runs * msPerRun * 4;
}

const CORPUS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');

/**
 * Every file of corpus/<kind>, each checked against `schema`: a corpus file that no longer fits
 * the inputs the fuzzer sends fails loudly instead of replaying as something else.
 */
export function readCorpus<S extends z.ZodType>(kind: 'frames' | 'push', schema: S): (z.infer<S> & { file: string })[] {
  const dir = path.join(CORPUS, kind);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const parsed = schema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
      if (!parsed.success) throw new Error(`corpus/${kind}/${name} is not a ${kind} case: ${parsed.error.message}`);
      return { ...(parsed.data as object), file: `${kind}/${name}` } as z.infer<S> & { file: string };
    });
}
