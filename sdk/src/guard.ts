/**
 * Every public SDK call runs through `attempt`: the host page must never see an exception from Shoal.
 * Problems are counted (surfaced in `status()`) and, in debug mode, logged once each.
 */
export interface Guard {
  attempt<T>(what: string, fn: () => T): T | undefined;
  attemptAsync<T>(what: string, fn: () => Promise<T>): Promise<T | undefined>;
  report(what: string, error: unknown): void;
  readonly errors: number;
  readonly lastError: string | null;
}

export function createGuard(debug: boolean): Guard {
  let errors = 0;
  let lastError: string | null = null;
  const seen = new Set<string>();
  const report = (what: string, error: unknown) => {
    errors++;
    lastError = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    if (debug && !seen.has(lastError)) {
      seen.add(lastError);
      console.warn(`[shoal] ${lastError}`);
    }
  };
  return {
    attempt(what, fn) {
      try {
        return fn();
      } catch (e) {
        report(what, e);
        return undefined;
      }
    },
    async attemptAsync(what, fn) {
      try {
        return await fn();
      } catch (e) {
        report(what, e);
        return undefined;
      }
    },
    report,
    get errors() {
      return errors;
    },
    get lastError() {
      return lastError;
    },
  };
}
