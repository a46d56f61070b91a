/**
 * Keeps segment identities stable across trainings: new centroids are matched to the previous model's by
 * minimum total distance (Hungarian algorithm), so a shopper whose behaviour did not change keeps the name.
 */

/**
 * Minimum-cost assignment for a square or wide cost matrix (rows ≤ columns); returns the column of each row.
 * O(n²m), plenty for ≤ 16 segments.
 * @example hungarian([[4, 1], [2, 8]]) // [1, 0]
 */
export function hungarian(cost: readonly (readonly number[])[]): number[] {
  const n = cost.length;
  const m = cost[0]?.length ?? 0;
  if (n > m) throw new Error('hungarian needs rows ≤ columns');
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(m + 1).fill(0);
  const p = new Array<number>(m + 1).fill(0);
  const way = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(m + 1).fill(Infinity);
    const used = new Array<boolean>(m + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) [minv[j], way[j]] = [cur, j0];
        if (minv[j]! < delta) [delta, j1] = [minv[j]!, j];
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0);
  }
  const out = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) out[p[j]! - 1] = j - 1;
  return out;
}

const sq = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, j) => s + (x - (b[j] ?? 0)) ** 2, 0);

/**
 * For each new centroid, the previous segment it continues (or null when there are more new segments
 * than old ones and it matched none).
 * @example matchSegments(newCentroids, oldCentroids) // [2, 0, 1, null]
 */
export function matchSegments(
  next: readonly (readonly number[])[],
  previous: readonly (readonly number[])[],
): (number | null)[] {
  if (next.length <= previous.length) return hungarian(next.map((c) => previous.map((o) => sq(c, o))));
  const back = hungarian(previous.map((o) => next.map((c) => sq(c, o))));
  return next.map((_, i) => {
    const j = back.indexOf(i);
    return j < 0 ? null : j;
  });
}
