/**
 * For unit tests only (left out of the build's declarations): a `Storage` held in a Map, to stand in for a
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
