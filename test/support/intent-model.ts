import { publishForm } from '../../edge/local/fixture-model.js';
import { testModel } from '../../sdk/src/test-utils.js';
import { TOKEN } from './stack.js';

export interface IntentModel {
  version: string;
}

/**
 * A small seeded model with an intent tower whose weights say what the funnel says (views, a cart add and a
 * started checkout each raise the odds), published to `edgeUrl`: the end-to-end tests then check the SDK's
 * plumbing (features in the page, re-scoring after each event, one forward pass) independently of training.
 */
export async function publishIntentModel(edgeUrl: string): Promise<IntentModel> {
  const version = 'e2e-intent-seeded';
  const { manifest, weights } = testModel({
    version,
    tower: {
      inputs: ['visit_product_views', 'visit_pages', 'visit_cart_adds', 'visit_checkout'],
      kernel: [0.9, 0.2, 1.2, 2],
      bias: -4.5,
      range: [0, 8],
      offsets: [{ feature: 'visit_cart_adds', perUnit: 0.6, cap: Math.LN2 }],
    },
  });
  const modelJson = {
    modelTopology: { class_name: 'Functional' },
    weightsManifest: [{ weights: manifest.weights.specs }],
  };
  const res = await fetch(new URL('/v1/models', edgeUrl), {
    method: 'POST',
    body: publishForm({ manifest, modelJson, weights }),
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  if (res.status !== 201) throw new Error(`publishing ${version} answered ${res.status}: ${await res.text()}`);
  return { version };
}
