import { describe, expect, it } from 'vitest';
import { D1_LIMIT_BYTES, formatReport, measureCapacity } from '../bench/capacity.js';
import { useEdge } from './support/edge.js';

// The capacity benchmark (bench/capacity.ts) reduced: a few hundred shoppers instead of ten thousand. Bytes
// per row come out coarser (D1 grows by 4 KiB pages), the projection the same way.
const edge = useEdge();

describe('capacity on workerd', () => {
  it("projects a 1 M-daily-shopper shop's database under D1's 10 GB, tombstones included", async () => {
    const opts = { shoppers: 400, erasuresPerDay: 10_000, concurrency: 8, roomProfileBytes: 0, roomBatchBytes: 0 };
    const report = await measureCapacity({ ...opts, edge: edge() });
    console.log(formatReport(report, opts));
    // Bytes per row as D1 reported them: real rows, not zeros or a missing figure.
    expect(report.measured.profile).toBeGreaterThan(300);
    expect(report.measured.profile).toBeLessThan(4_000);
    for (const perRow of [report.measured.batchId, report.measured.tombstone]) {
      expect(perRow).toBeGreaterThan(16);
      expect(perRow).toBeLessThan(400);
    }
    expect(report.rows.tombstones).toBeGreaterThan(0);
    expect(report.projected.total).toBeLessThan(D1_LIMIT_BYTES);
  });
});
