import * as v from 'valibot';
import { ManifestSchema } from '../../../sdk/src/contract/index.js';

/** The files a published model consists of, and how each is served. */
export const MODEL_FILES = {
  'manifest.json': 'application/json',
  'model.json': 'application/json',
  'weights.bin': 'application/octet-stream',
} as const satisfies Record<string, string>;

export type ModelFile = keyof typeof MODEL_FILES;

/** KV key holding the version every storefront should load. */
export const CURRENT_KEY = 'model:current';

/**
 * The R2 key for one file of one version.
 *
 * @example
 * modelKey('2024-06-01.1', 'weights.bin'); // 'models/2024-06-01.1/weights.bin'
 */
export function modelKey(version: string, file: ModelFile): string {
  return `models/${version}/${file}`;
}

/**
 * True for a model file name, narrowing the type.
 *
 * @example
 * isModelFile('weights.bin'); // true
 */
export function isModelFile(name: string): name is ModelFile {
  return Object.hasOwn(MODEL_FILES, name);
}

/**
 * Checks a version string with the manifest's own rule, so a URL can never name a key outside `models/<v>/`.
 *
 * @example
 * isVersion('../etc'); // false
 */
export function isVersion(version: string): boolean {
  return v.is(ManifestSchema.entries.version, version);
}
