/**
 * Nelder–Mead minimisation: derivative-free, which suits likelihoods built from lgamma and ₂F₁ whose
 * gradients we would otherwise have to derive and test by hand. Deterministic for a given start.
 */
export interface Minimum {
  x: number[];
  value: number;
  iterations: number;
}

/**
 * @example nelderMead(([a, b]) => (a! - 1) ** 2 + (b! + 2) ** 2, [0, 0]).x // ≈ [1, -2]
 */
export function nelderMead(
  f: (x: number[]) => number,
  start: readonly number[],
  { maxIter = 2000, tol = 1e-10, step = 0.5 } = {},
): Minimum {
  const n = start.length;
  const safe = (x: number[]) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let simplex = [start.slice(), ...start.map((_, i) => start.map((s, j) => (i === j ? s + step : s)))];
  let values = simplex.map(safe);
  let iter = 0;
  for (; iter < maxIter; iter++) {
    const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
    simplex = order.map((i) => simplex[i]!);
    values = order.map((i) => values[i]!);
    if (Math.abs(values[n]! - values[0]!) <= tol * (Math.abs(values[0]!) + 1e-12)) break;
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p[j]!, 0) / n);
    const along = (t: number) => centroid.map((c, j) => c + t * (simplex[n]![j]! - c));
    const reflected = along(-1);
    const fr = safe(reflected);
    if (fr < values[0]!) {
      const expanded = along(-2);
      const fe = safe(expanded);
      [simplex[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
    } else if (fr < values[n - 1]!) {
      [simplex[n], values[n]] = [reflected, fr];
    } else {
      const contracted = along(fr < values[n]! ? -0.5 : 0.5);
      const fc = safe(contracted);
      if (fc < Math.min(fr, values[n]!)) [simplex[n], values[n]] = [contracted, fc];
      else {
        // Shrink towards the best point: the simplex straddles a valley too narrow for the other moves.
        simplex = simplex.map((p, i) => (i === 0 ? p : p.map((x, j) => simplex[0]![j]! + 0.5 * (x - simplex[0]![j]!))));
        values = simplex.map((p, i) => (i === 0 ? values[0]! : safe(p)));
      }
    }
  }
  const best = values.indexOf(Math.min(...values));
  return { x: simplex[best]!, value: values[best]!, iterations: iter };
}
