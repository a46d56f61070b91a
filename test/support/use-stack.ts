import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { publishModel, ROOT, startStack, type Stack } from './stack.js';

/**
 * One stack (edge, storefront, Chromium) for the calling test file, serving the shipped default model: started
 * before its tests, stopped after them. Kept apart from stack.ts, which the benchmarks import without vitest.
 */
export function useStack(): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack();
    await publishModel(stack.edge.url, join(ROOT, 'models/default'));
  });
  afterAll(async () => stack?.stop());
  return () => {
    if (!stack) throw new Error('the stack is not started yet (use it inside a test or hook)');
    return stack;
  };
}
