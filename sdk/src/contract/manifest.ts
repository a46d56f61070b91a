import * as v from 'valibot';

/**
 * The model manifest: everything a runtime needs to trust and run a set of weights. The trainer writes it,
 * the edge checks it on publish, the SDK checks it again on load (spec hash, weight checksum).
 */
const finite = v.pipe(v.number(), v.finite());
const positive = v.pipe(v.number(), v.finite(), v.gtValue(0));
const name = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_-]{0,31}$/));

const DenseSchema = v.strictObject({
  kernel: v.pipe(v.string(), v.maxLength(128)),
  bias: v.pipe(v.string(), v.maxLength(128)),
  activation: v.picklist(['relu', 'linear', 'softmax', 'sigmoid']),
});

const WeightSpecSchema = v.strictObject({
  name: v.pipe(v.string(), v.maxLength(128)),
  shape: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(4096))), v.maxLength(4)),
  dtype: v.literal('float32'),
});

const featureName = v.pipe(v.string(), v.maxLength(64));
const NormalisationSchema = v.strictObject({
  mean: v.array(finite),
  std: v.array(finite),
  min: v.array(finite),
  max: v.array(finite),
});

/**
 * The intent tower: reads visit (and any other) features of its own choosing and outputs a logit;
 * intent = σ(logit + Σ offsets), the probability that this visit ends in an order. Self-contained (own inputs
 * and normalisation) so it runs beside any customer trunk in the same forward pass.
 */
const IntentTowerSchema = v.strictObject({
  /** Spec feature names the tower reads, in its input order. */
  inputs: v.pipe(v.array(featureName), v.minLength(1), v.maxLength(256)),
  /** Per input, in `inputs` order: clamp to [min, max], then standardise (as the top-level normalisation). */
  normalisation: NormalisationSchema,
  /** The last layer has one unit and a linear activation: its output is a logit. */
  layers: v.pipe(v.array(DenseSchema), v.minLength(1), v.maxLength(6)),
  /**
   * An explicit prior added to the logit, perUnit · min(raw feature, cap): the funnel's established direction
   * (a cart add, a started checkout) for features the training data lacks, until a shop's own data re-learns it.
   */
  offsets: v.optional(
    v.pipe(
      v.array(v.strictObject({ feature: featureName, perUnit: finite, cap: v.optional(finite) })),
      v.maxLength(16),
    ),
  ),
});

export const MODEL_FORMAT = 'shoal-model/1';

export const ManifestSchema = v.strictObject({
  format: v.literal(MODEL_FORMAT),
  version: v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)),
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
  featureSpec: v.strictObject({
    version: v.pipe(v.number(), v.integer()),
    hash: v.pipe(v.string(), v.regex(/^[0-9a-f]{8}$/)),
    names: v.pipe(v.array(v.string()), v.maxLength(256)),
  }),
  /** Per feature, in spec order: standardisation statistics and the range seen in training (raw units). */
  normalisation: NormalisationSchema,
  /** Days the value and churn heads look ahead from the moment the features describe. */
  horizonDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650)),
  segments: v.pipe(
    v.array(
      v.strictObject({
        id: v.pipe(v.number(), v.integer(), v.minValue(0)),
        name,
        description: v.pipe(v.string(), v.maxLength(200)),
      }),
    ),
    v.minLength(2),
    v.maxLength(16),
  ),
  /** Ordered high → low; a shopper gets the first tier whose `min` their predicted value reaches. */
  valueTiers: v.pipe(v.array(v.strictObject({ name, min: finite })), v.minLength(1), v.maxLength(8)),
  graph: v.strictObject({
    /** Spec feature names the customer trunk reads, in order; all of them, in spec order, when absent. */
    inputs: v.optional(v.pipe(v.array(featureName), v.minLength(1), v.maxLength(256))),
    trunk: v.pipe(v.array(DenseSchema), v.minLength(1), v.maxLength(8)),
    heads: v.strictObject({ segment: DenseSchema, value: DenseSchema, churn: DenseSchema }),
    /** Optional: a model without it scores no intent (status().intent stays null). */
    intent: v.optional(IntentTowerSchema),
  }),
  weights: v.strictObject({
    file: v.literal('weights.bin'),
    bytes: v.pipe(v.number(), v.integer(), v.minValue(4), v.maxValue(16 * 1024 * 1024)),
    sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
    specs: v.pipe(v.array(WeightSpecSchema), v.minLength(2), v.maxLength(64)),
  }),
  /**
   * Per feature, in spec order: the training distribution as a histogram (raw units, `edges` ascending with
   * one more entry than `counts`). The edge compares incoming syncs against it (population stability).
   * Optional so models trained before drift checks existed still load.
   */
  histograms: v.optional(
    v.pipe(
      v.array(
        v.strictObject({
          edges: v.pipe(v.array(finite), v.minLength(2), v.maxLength(65)),
          counts: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0))), v.minLength(1), v.maxLength(64)),
        }),
      ),
      v.maxLength(256),
    ),
  ),
  /**
   * A structural prior the value and churn heads correct (both heads then have linear activations):
   * expected purchase-days E from BG/NBD over `horizonDays`, computed from the feature vector by
   * sdk/src/features/bgnbd.ts; purchases = E · exp(value head), churn = σ(churn head − ln E), spend =
   * purchases · Gamma-Gamma spend per purchase. Optional: models without it keep their heads' meaning.
   */
  prior: v.optional(
    v.strictObject({
      kind: v.literal('bgnbd'),
      /** Days per time unit the parameters were fitted in (7: weeks, as in the literature). */
      unitDays: v.pipe(v.number(), v.minValue(1e-3), v.maxValue(3650)),
      bgnbd: v.strictObject({ r: positive, alpha: positive, a: positive, b: positive }),
      gammaGamma: v.strictObject({ p: positive, q: positive, gamma: positive }),
    }),
  ),
  metrics: v.record(v.string(), finite),
  training: v.record(v.string(), v.union([v.string(), finite])),
});

export type ModelManifest = v.InferOutput<typeof ManifestSchema>;
export type DenseLayer = ModelManifest['graph']['trunk'][number];
export type IntentTower = NonNullable<ModelManifest['graph']['intent']>;
