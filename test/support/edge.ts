import { afterAll, beforeAll, beforeEach, onTestFailed } from 'vitest';
import { startEdgeHarness } from '../../edge/local/harness.js';
import type { EdgeHarness } from '../../edge/local/harness.js';

/**
 * A throwaway real worker for the enclosing describe (or file): started before its tests, `setup` run once
 * it is up, stopped after them, and wrangler's last lines printed when a test fails. Returns a getter, since
 * the edge exists only once the tests run.
 *
 * @example
 * const edge = useEdge({ vars: { RECS_TTL_SECONDS: '0' } });
 * it('is healthy', async () => expect((await edge().call('/healthz')).status).toBe(200));
 */
export function useEdge(
  opts: Parameters<typeof startEdgeHarness>[0] = {},
  setup: (edge: EdgeHarness) => Promise<void> = async () => undefined,
): () => EdgeHarness {
  let edge: EdgeHarness | undefined;
  beforeAll(async () => {
    edge = await startEdgeHarness(opts);
    await setup(edge);
  }, 120_000);
  afterAll(async () => {
    await edge?.stop();
  }, 30_000);
  beforeEach(() => {
    onTestFailed(() => console.error(`wrangler output:\n${edge?.recentOutput().join('\n')}`));
  });
  return () => edge!;
}
