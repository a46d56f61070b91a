/**
 * The import rules the layout rests on, checked on the graph madge builds from the sources (type-only imports
 * included): no import cycles in trainer/, edge/ or sdk/src; the trainer's stage folders import each other in
 * one direction only, and only through their index.ts; and product files under trainer/ and edge/ take from
 * sdk/ nothing but its contract and features entries (../shared/ARCHITECTURE.md). Tests may import more.
 */
import { resolve } from 'node:path';
import madge from 'madge';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SDK_ENTRIES = ['sdk/src/contract/index.ts', 'sdk/src/features/index.ts'];
/** Tests and their helpers are leaves nothing in the product imports, so they may reach anywhere. */
const isTest = (file: string) => /\.test\.ts$|\/test-utils\.ts$/.test(file);

/** The stage a trainer file belongs to: its folder under trainer/src, or the file itself at the top (cli.ts, train.ts). */
const stageOf = (file: string) => file.match(/^trainer\/src\/([^/]+)/)?.[1];

/**
 * One cycle of a directed graph as the nodes along it (first node repeated at the end), or null.
 * @example findCycle(new Map([['a', ['b']], ['b', ['a']]])) // ['a', 'b', 'a']
 */
function findCycle(graph: ReadonlyMap<string, Iterable<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

/** The trainer's product imports between stages, and those that bypass the target stage's index.ts. */
function stageImports(graph: Record<string, string[]>): { stages: Map<string, Set<string>>; bypasses: string[] } {
  const stages = new Map<string, Set<string>>();
  const bypasses: string[] = [];
  for (const [file, deps] of Object.entries(graph)) {
    const from = stageOf(file);
    if (!from || isTest(file)) continue;
    for (const dep of deps) {
      const to = stageOf(dep);
      if (!to || to === from) continue;
      if (!stages.has(from)) stages.set(from, new Set());
      stages.get(from)!.add(to);
      const folder = dep !== `trainer/src/${to}`;
      if (folder && dep !== `trainer/src/${to}/index.ts`) bypasses.push(`${file} → ${dep}`);
    }
  }
  return { stages, bypasses };
}

describe('findCycle', () => {
  it('finds a cycle through several nodes, and none in a graph without one', () => {
    expect(
      findCycle(
        new Map([
          ['a', ['b']],
          ['b', ['c', 'd']],
          ['c', ['a']],
        ]),
      ),
    ).toEqual(['a', 'b', 'c', 'a']);
    expect(
      findCycle(
        new Map([
          ['a', ['b', 'c']],
          ['b', ['c']],
        ]),
      ),
    ).toBeNull();
  });
});

describe('import rules', () => {
  let graph: Record<string, string[]> = {};
  let cycles: string[][] = [];
  let skipped: string[] = [];
  beforeAll(async () => {
    const res = await madge(['trainer', 'edge', 'sdk/src'], {
      baseDir: ROOT,
      fileExtensions: ['ts'],
      excludeRegExp: [/node_modules/, /\.d\.ts$/],
    });
    graph = res.obj();
    cycles = res.circular();
    skipped = res.warnings().skipped;
  }, 60_000);

  it('resolves every import to a file (an unresolved one would hide its edges)', () => {
    expect(Object.keys(graph)).toContain('trainer/src/train.ts');
    expect(Object.keys(graph)).toContain('edge/src/index.ts');
    expect(skipped).toEqual([]);
  });

  it('has no import cycles in trainer/, edge/ or sdk/src', () => {
    expect(cycles.map((c) => c.join(' > '))).toEqual([]);
  });

  it('orders the trainer stages: no stage imports, even indirectly, one that imports it', () => {
    const { stages } = stageImports(graph);
    expect(stages.get('train.ts')?.size).toBeGreaterThan(2);
    expect(findCycle(stages)).toBeNull();
  });

  it('crosses from one trainer stage into another only through its index.ts', () => {
    expect(stageImports(graph).bypasses).toEqual([]);
  });

  it('lets trainer/ and edge/ product files import only the contract and features entries of sdk/', () => {
    const reaches = Object.entries(graph).flatMap(([file, deps]) =>
      /^(trainer|edge)\//.test(file) && !isTest(file)
        ? deps.filter((d) => d.startsWith('sdk/') && !SDK_ENTRIES.includes(d)).map((d) => `${file} → ${d}`)
        : [],
    );
    expect(reaches).toEqual([]);
    // The rule is not vacuous: the trainer does use both entries.
    expect(graph['trainer/src/train.ts']).toContain('sdk/src/features/index.ts');
  });
});
