/**
 * Settles like `p`, or rejects with "<what> timed out" after `ms`: every wait the SDK makes on the browser
 * (IndexedDB, module loads, GPU adapters) is bounded in time.
 * @example await withTimeout(openDB(...), 3000, 'IndexedDB open')
 */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out`)), ms);
    p.then(
      (x) => {
        clearTimeout(timer);
        resolve(x);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
