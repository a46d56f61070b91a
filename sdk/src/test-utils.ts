import { createHash } from 'node:crypto';
import { FEATURE_SPEC } from './contract/feature-spec.js';
import { MODEL_FORMAT, type ModelManifest } from './contract/manifest.js';

/**
 * For tests only (left out of the build's declarations): a `Storage` held in a Map, to stand in for a
 * page's localStorage under Node.
 *
 * @example vi.stubGlobal('localStorage', memoryStorage());
 */
export function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    key: (i) => [...m.keys()][i] ?? null,
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, String(v)),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
  };
}

/** A tower for `testModel`: one linear layer (logistic regression) over `inputs`, standardised by mean 0 std 1. */
export interface TestTower {
  inputs: string[];
  kernel: number[];
  bias: number;
  offsets?: { feature: string; perUnit: number; cap?: number }[];
  /** Clamp range of every input (default ±20). */
  range?: [number, number];
}

const layerSpecs = (name: string, rows: number, units: number) => [
  { name: `${name}/kernel`, shape: [rows, units], dtype: 'float32' as const },
  { name: `${name}/bias`, shape: [units], dtype: 'float32' as const },
];
const dense = (name: string, activation: 'relu' | 'linear' | 'softmax' | 'sigmoid') => ({
  kernel: `${name}/kernel`,
  bias: `${name}/bias`,
  activation,
});
/** Mean 0 and std 1 (the identity) for `n` inputs, clamped to [lo, hi]. */
const identityNormalisation = (n: number, [lo, hi]: [number, number]) => ({
  mean: Array<number>(n).fill(0),
  std: Array<number>(n).fill(1),
  min: Array<number>(n).fill(lo),
  max: Array<number>(n).fill(hi),
});

function intentGraph(tower: TestTower) {
  return {
    inputs: tower.inputs,
    normalisation: identityNormalisation(tower.inputs.length, tower.range ?? [-20, 20]),
    layers: [dense('intent', 'linear')],
    ...(tower.offsets ? { offsets: tower.offsets } : {}),
  };
}

/**
 * For tests only: a small, valid model of the current feature spec, with deterministic weights: a 4-unit
 * trunk over `inputs` (default: every feature), two segments, and optionally an intent tower whose weights
 * the test chooses, so expected intents can be computed by hand.
 * @example const { manifest, weights } = testModel({ tower: { inputs: ['visit_checkout'], kernel: [2], bias: -1 } });
 */
export function testModel(opts: { version?: string; inputs?: string[]; tower?: TestTower } = {}): {
  manifest: ModelManifest;
  weights: Uint8Array<ArrayBuffer>;
} {
  const names = [...FEATURE_SPEC.names];
  const { tower } = opts;
  const customer = [
    ...layerSpecs('trunk_0', opts.inputs?.length ?? names.length, 4),
    ...layerSpecs('segment', 4, 2),
    ...layerSpecs('value', 4, 1),
    ...layerSpecs('churn', 4, 1),
  ];
  const floats = customer.reduce((n, s) => n + s.shape[0]! * (s.shape[1] ?? 1), 0);
  const values = Array.from({ length: floats }, (_, i) => Math.sin(i + 1) / 4);
  if (tower) values.push(...tower.kernel, tower.bias);
  const specs = tower ? [...customer, ...layerSpecs('intent', tower.inputs.length, 1)] : customer;
  const weights = new Uint8Array(Float32Array.from(values).buffer);
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    version: opts.version ?? 'test-model',
    createdAt: '2026-01-01T00:00:00.000Z',
    featureSpec: { version: FEATURE_SPEC.version, hash: FEATURE_SPEC.hash, names },
    normalisation: identityNormalisation(names.length, [-20, 20]),
    horizonDays: 90,
    segments: [
      { id: 0, name: 'browsers', description: 'Look a lot, buy little' },
      { id: 1, name: 'loyal', description: 'Buy often' },
    ],
    valueTiers: [
      { name: 'high', min: 100 },
      { name: 'low', min: 0 },
    ],
    graph: {
      ...(opts.inputs ? { inputs: opts.inputs } : {}),
      trunk: [dense('trunk_0', 'relu')],
      heads: {
        segment: dense('segment', 'softmax'),
        value: dense('value', 'linear'),
        churn: dense('churn', 'sigmoid'),
      },
      ...(tower ? { intent: intentGraph(tower) } : {}),
    },
    weights: {
      file: 'weights.bin',
      bytes: weights.byteLength,
      sha256: createHash('sha256').update(weights).digest('hex'),
      specs,
    },
    metrics: {},
    training: { dataset: 'test' },
  };
  return { manifest, weights };
}
