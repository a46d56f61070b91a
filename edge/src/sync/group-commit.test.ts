import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit.js';

/** A writer whose writes finish only when the test says so, recording what each carried. */
function gatedWriter(fail: (item: number) => boolean = () => false) {
  const writes: { items: number[]; finish: () => void }[] = [];
  const write = (_ctx: string, items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      writes.push({
        items,
        finish: () =>
          items.some(fail) ? reject(new Error(`bad item in ${items.join(',')}`)) : resolve(items.map((i) => `ok ${i}`)),
      });
    });
  return { writes, write };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('createGroupCommit', () => {
  it('writes a lone item at once, alone', async () => {
    const { writes, write } = gatedWriter();
    const submit = createGroupCommit(write, { maxItems: 4 });
    const a = submit('ctx', 1);
    expect(writes.map((w) => w.items)).toEqual([[1]]);
    writes[0]!.finish();
    expect(await a).toBe('ok 1');
  });

  it('sends what arrived during a write together in the next one, in order, each answered after its own commit', async () => {
    const { writes, write } = gatedWriter();
    const submit = createGroupCommit(write, { maxItems: 4 });
    const settled: number[] = [];
    const all = [1, 2, 3, 4].map((i) =>
      submit('ctx', i).then((r) => {
        settled.push(i);
        return r;
      }),
    );
    await flush();
    expect(writes.map((w) => w.items)).toEqual([[1]]);
    writes[0]!.finish();
    await flush();
    expect(settled).toEqual([1]);
    expect(writes.map((w) => w.items)).toEqual([[1], [2, 3, 4]]);
    writes[1]!.finish();
    expect(await Promise.all(all)).toEqual(['ok 1', 'ok 2', 'ok 3', 'ok 4']);
  });

  it('caps a write at maxItems; the rest go in the write after', async () => {
    const { writes, write } = gatedWriter();
    const submit = createGroupCommit(write, { maxItems: 2 });
    const all = [1, 2, 3, 4, 5, 6].map((i) => submit('ctx', i));
    for (let n = 0; n < 4; n++) {
      await flush();
      writes[n]!.finish();
    }
    await Promise.all(all);
    expect(writes.map((w) => w.items)).toEqual([[1], [2, 3], [4, 5], [6]]);
  });

  it('makes each write with the context of a caller it carries', async () => {
    const contexts: string[] = [];
    const submit = createGroupCommit(
      async (ctx: string, items: number[]) => {
        contexts.push(`${ctx}:${items}`);
        return items;
      },
      { maxItems: 8 },
    );
    await Promise.all([submit('a', 1), submit('b', 2), submit('c', 3)]);
    expect(contexts).toEqual(['a:1', 'b:2,3']);
  });

  it('retries a failed group item by item, so only the bad item fails', async () => {
    const { writes, write } = gatedWriter((i) => i === 3);
    const submit = createGroupCommit(write, { maxItems: 8 });
    const all = [1, 2, 3, 4].map((i) => submit('ctx', i).then(String, (e: Error) => `rejected: ${e.message}`));
    for (let n = 0; n < 5; n++) {
      await flush();
      writes[n]!.finish();
    }
    expect(await Promise.all(all)).toEqual(['ok 1', 'ok 2', 'rejected: bad item in 3', 'ok 4']);
    expect(writes.map((w) => w.items)).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('does not strand the queue behind a write that never finishes: a queued caller writes alone after stallMs', async () => {
    const { writes, write } = gatedWriter();
    const submit = createGroupCommit(write, { maxItems: 8, stallMs: 30 });
    void submit('ctx', 1); // its write never finishes
    const b = submit('ctx', 2);
    await new Promise((r) => setTimeout(r, 80));
    expect(writes.map((w) => w.items)).toEqual([[1], [2]]);
    writes[1]!.finish();
    expect(await b).toBe('ok 2');
  });
});
