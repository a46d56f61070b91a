/** What the intent stage hands on: the tower, its inputs and prior, and its evaluation. */
import type { FeatureName } from '../../../sdk/src/contract/index.js';
import type { Sessions } from '../load/index.js';
import type { IntentInput } from '../publish/index.js';
import type { SplitResult } from './evaluate.js';
import type { FunnelPrior } from './prior.js';
import type { TowerOptions, TowerWeights } from './tower.js';

export interface IntentResult {
  source: Sessions['source'];
  sessions: number;
  orderRate: number;
  inputs: FeatureName[];
  /** Candidates the data lacks or never varies in: not learned, weight 0 (or the funnel prior). */
  notLearned: FeatureName[];
  monotone: boolean[];
  prior: FunnelPrior | null;
  tower: TowerWeights & { epochs: number[] };
  normalisation: { mean: number[]; std: number[]; min: number[]; max: number[] };
  splits: SplitResult[];
  /** The tower as the manifest carries it (graph.intent). */
  manifest: IntentInput;
  metrics: Record<string, number>;
  towerOptions: Omit<TowerOptions, 'monotone' | 'onEpoch'>;
  /** The served intent of a typical visit (the training visits' median inputs), then with the prior's steps. */
  typical: { visit: number; cart: number; checkout: number } | null;
}
