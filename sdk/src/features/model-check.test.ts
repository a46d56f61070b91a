import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ManifestSchema, type ModelManifest } from '../contract/manifest.js';
import { modelProblem } from './model-check.js';

const dir = new URL('../../../models/default/', import.meta.url);
const manifest = v.parse(ManifestSchema, JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')));
const file = readFileSync(new URL('weights.bin', dir));
const weights = () => file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;

/** The weights with the tensor `name` overwritten by `value` everywhere. */
function withTensor(name: string, value: number): ArrayBuffer {
  const buffer = weights();
  const floats = new Float32Array(buffer);
  let offset = 0;
  for (const s of manifest.weights.specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (s.name === name) floats.fill(value, offset, offset + n);
    offset += n;
  }
  return buffer;
}

const edit = (over: Partial<ModelManifest>): ModelManifest => ({ ...manifest, ...over });
const specs = manifest.weights.specs;

describe('modelProblem', () => {
  it('passes the shipped default model', () => {
    expect(modelProblem(manifest, weights())).toBeNull();
  });

  it.each<[string, ModelManifest, ArrayBuffer, RegExp]>([
    [
      'weight shapes that do not add up to the bytes',
      edit({ weights: { ...manifest.weights, specs: [{ ...specs[0]!, shape: [16, 33] }, ...specs.slice(1)] } }),
      weights(),
      // One more column in trunk_0: 16 more floats than weights.bin holds.
      new RegExp(`weight specs need ${file.byteLength + 64} bytes; manifest.weights.bytes is ${file.byteLength}`),
    ],
    [
      'shapes that add up but do not chain',
      edit({
        weights: {
          ...manifest.weights,
          specs: [{ ...specs[0]!, shape: [32, 16] }, specs[1]!, { ...specs[2]!, shape: [16, 32] }, ...specs.slice(3)],
        },
      }),
      weights(),
      /trunk_0\/kernel has shape \[32,16\]/,
    ],
    ['all-NaN weights', manifest, new Float32Array(file.byteLength / 4).fill(Number.NaN).buffer, /not finite/],
    [
      'one infinite bias',
      manifest,
      withTensor('segment/bias', Number.POSITIVE_INFINITY),
      /segment\/bias .* not finite/,
    ],
    [
      'a normalisation array of the wrong length',
      edit({ normalisation: { ...manifest.normalisation, std: manifest.normalisation.std.slice(1) } }),
      weights(),
      /normalisation.std has 15 values for 16 features/,
    ],
    [
      'a repeated segment name',
      edit({ segments: manifest.segments.map((s) => ({ ...s, name: 'same' })) }),
      weights(),
      /segment names repeat/,
    ],
    [
      'a reserved segment name',
      edit({ segments: manifest.segments.map((s, i) => (i === 1 ? { ...s, name: 'prospects' } : s)) }),
      weights(),
      /"prospects" is reserved/,
    ],
    [
      'a value head that forecasts more than any sync may carry',
      manifest,
      withTensor('value/bias', 80),
      /the model outputs segment probabilities/,
    ],
  ])('refuses %s', (_, m, w, reason) => {
    expect(modelProblem(m, w)).toMatch(reason);
  });
});
