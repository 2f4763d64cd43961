// SPDX-License-Identifier: MIT
/**
 * Where the shipped data files live. The repository keeps them in `datasets/` at its root; the
 * package finds that folder by walking up from its own location (src/ or dist/), then from the
 * working directory, unless told where to look.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataInputError } from './errors.js';

export const CREDIT_CARD_FILE = 'creditcard_fraud10pct_4920.csv';
export const SPIRAL_FILE = 'two_spirals_194.csv';
/** Environment variable naming a folder that holds the shipped files (overrides the search). */
export const DATASETS_ENV = 'LOSSSCAPE_DATASETS';

const isDatasetsDir = (dir: string): boolean => existsSync(path.join(dir, CREDIT_CARD_FILE)) && statSync(dir).isDirectory();

function walkUp(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, 'datasets');
    if (isDatasetsDir(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The folder with the shipped data files: `options.dir` if given, else `$LOSSSCAPE_DATASETS`,
 * else the nearest `datasets/` above this package, else above the working directory. Throws
 * ERR_FILE_NOT_FOUND naming every place it looked.
 *
 * ```ts
 * const file = path.join(findDatasetsDir(), CREDIT_CARD_FILE);
 * ```
 */
export function findDatasetsDir(options: { readonly dir?: string } = {}): string {
  const explicit = options.dir ?? process.env[DATASETS_ENV];
  if (explicit) {
    if (isDatasetsDir(explicit)) return path.resolve(explicit);
    const what = options.dir ? 'the dir option' : `$${DATASETS_ENV}`;
    throw new DataInputError(
      `Expected a folder holding ${CREDIT_CARD_FILE} for ${what} but received ${explicit}, which has no such file`,
      'ERR_FILE_NOT_FOUND',
      { file: explicit },
    );
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const found = walkUp(here) ?? walkUp(process.cwd());
  if (found) return found;
  throw new DataInputError(
    `Expected a datasets/ folder holding ${CREDIT_CARD_FILE} above ${here} or ${process.cwd()} but received none; set ${DATASETS_ENV} or pass a path`,
    'ERR_FILE_NOT_FOUND',
    { file: path.join('datasets', CREDIT_CARD_FILE) },
  );
}

/** Absolute path of a shipped file (`CREDIT_CARD_FILE`, `SPIRAL_FILE`). */
export function shippedDatasetPath(file: string, options: { readonly dir?: string } = {}): string {
  return path.join(findDatasetsDir(options), file);
}
