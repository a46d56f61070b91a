/**
 * In-page inference benchmark (issue 6), headless Chromium against the real local edge:
 *  - per backend, latency for 1 and 1,000 rows as a ratio to a plain-JS forward pass with the same weights
 *    in the same page (which is also the reference implementation of the graph);
 *  - time from navigation to the right block, and frames of wrong content, for a cold first visit, a first
 *    visit with the model cached, and a repeat visit;
 *  - gzip sizes of the ML chunks.
 * Run: `npm run bench:ml` (builds first).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { publishModel, ROOT, startStack } from '../test/support/stack.js';

const stack = await startStack();
try {
  await publishModel(stack.edge.url, join(ROOT, 'models/default'));
  const page = await stack.browser.newPage();
  await page.goto(stack.shop.url);
  await page.waitForFunction('typeof window.shoal.ready === "function"');
  await page.evaluate('window.shoal.ready()');

  // Strings, not functions: tsx would wrap named inner functions in a helper the page does not have.
  const rows = await page.evaluate(`(async () => {
    const edge = ${JSON.stringify(stack.edge.url)};
    const ml = await import(edge + 'ml/shoal-ml.js');
    const manifest = await (await fetch(edge + 'v1/models/current')).json();
    const w = new Float32Array(await (await fetch(edge + 'v1/models/' + manifest.version + '/weights.bin')).arrayBuffer());
    const tensors = {}; let offset = 0;
    for (const s of manifest.weights.specs) { const n = s.shape.reduce((a, b) => a * b, 1); tensors[s.name] = { shape: s.shape, data: w.subarray(offset, offset + n) }; offset += n; }
    const { mean, std, min, max } = manifest.normalisation;
    const norm = (r) => r.map((x, i) => std[i] < 1e-6 ? 0 : (Math.min(max[i], Math.max(min[i], x)) - mean[i]) / std[i]);
    const dense = (x, l) => { const k = tensors[l.kernel], b = tensors[l.bias]; const [n, m] = k.shape; const out = new Array(m);
      for (let j = 0; j < m; j++) { let s = b.data[j]; for (let i = 0; i < n; i++) s += x[i] * k.data[i * m + j]; out[j] = s; }
      if (l.activation === 'relu') return out.map((v) => Math.max(0, v));
      if (l.activation === 'sigmoid') return out.map((v) => 1 / (1 + Math.exp(-v)));
      if (l.activation === 'softmax') { const mx = Math.max(...out); const e = out.map((v) => Math.exp(v - mx)); const z = e.reduce((a, b) => a + b, 0); return e.map((v) => v / z); }
      return out; };
    const plain = (r) => { let h = norm(r); for (const l of manifest.graph.trunk) h = dense(h, l); const g = manifest.graph.heads; return [dense(h, g.segment), dense(h, g.value), dense(h, g.churn)]; };
    const row = manifest.normalisation.mean.map((m, i) => m + (i % 3) * 0.1);
    const batch = Array.from({ length: 1000 }, (_, k) => row.map((x, i) => x + ((k * 7 + i) % 11) / 20));
    // performance.now() is coarsened to 100 µs here: each sample times \`reps\` calls and divides.
    const time = async (fn, n, reps = 1) => { await fn(); const t = []; for (let i = 0; i < n; i++) { const s = performance.now(); for (let r = 0; r < reps; r++) await fn(); t.push((performance.now() - s) / reps); } t.sort((a, b) => a - b); return t[Math.floor(n / 2)]; };
    const plain1 = await time(async () => plain(row), 30, 200);
    const plain1000 = await time(async () => batch.map(plain), 20);
    const out = [{ backend: 'plain JS', one: plain1, thousand: plain1000 }];
    for (const name of ['webgpu', 'webgl', 'wasm', 'cpu']) {
      try {
        const s = await ml.createScorer({ edgeUrl: edge, wasmPath: edge, backends: [name], allowSoftwareGpu: true });
        if (s.backend !== name) throw new Error('got ' + s.backend);
        const one = await time(() => s.score(row), 15, 20);
        const thousand = await time(() => s.scoreMany(batch), 5);
        out.push({ backend: name, one, thousand });
      } catch (e) { out.push({ backend: name, error: String(e && e.message || e) }); }
    }
    return out;
  })()`) as { backend: string; one?: number; thousand?: number; error?: string }[];

  const plain = rows[0]!;
  console.log('inference per backend (median ms; ratio to plain JS in the same page):');
  for (const r of rows) {
    if (r.error) console.log(`  ${r.backend.padEnd(8)} unavailable: ${r.error}`);
    else console.log(`  ${r.backend.padEnd(8)} 1 row ${r.one!.toFixed(3)} ms (×${(r.one! / plain.one!).toFixed(1)})   1,000 rows ${r.thousand!.toFixed(2)} ms (×${(r.thousand! / plain.thousand!).toFixed(2)})`);
  }
  console.log(`  chosen by the SDK here: ${(await page.evaluate('window.shoal.status().backendReason')) as string}`);

  // Time to the right block and frames of wrong content, per visit kind.
  const probe = `(() => { const f = []; window.__frames = f; const expected = () => window.__expected;
    const tick = () => { const b = document.querySelector('[data-shoal-block="hero"]');
      if (b) f.push({ t: performance.now(), visible: document.documentElement.classList.contains('shoal-ready'), variant: b.getAttribute('data-shoal-variant') });
      if (f.length < 300) requestAnimationFrame(tick); }; requestAnimationFrame(tick); })()`;
  const visit = async (p: Page, expected: string) => {
    await p.goto(stack.shop.url);
    await p.waitForFunction('typeof window.shoal.ready === "function"');
    await p.evaluate('window.shoal.ready()');
    await p.waitForTimeout(300);
    const frames = (await p.evaluate('window.__frames')) as { t: number; visible: boolean; variant: string }[];
    const right = frames.find((f) => f.visible && f.variant === expected);
    const wrong = frames.filter((f) => f.visible && f.variant !== expected).length;
    return { ms: right?.t ?? NaN, wrong };
  };
  const context = await stack.browser.newContext();
  await context.addInitScript(probe);
  const p = await context.newPage();
  await p.goto(stack.shop.url);
  await p.waitForFunction('typeof window.shoal.ready === "function"');
  const segment = ((await p.evaluate('window.shoal.ready()')) as { segment: string }).segment;
  await p.evaluate('localStorage.removeItem("shoal:score"); localStorage.removeItem("shoal:blocks")');
  const cached = await visit(p, segment);
  const repeat = await visit(p, segment);
  const coldContext = await stack.browser.newContext();
  await coldContext.addInitScript(probe);
  const cold = await visit(await coldContext.newPage(), segment);
  console.log('navigation → right block (first visible frame with the right variant; wrong-content frames):');
  console.log(`  first visit, cold          ${cold.ms.toFixed(0)} ms, ${cold.wrong} wrong frames`);
  console.log(`  first visit, model cached  ${cached.ms.toFixed(0)} ms, ${cached.wrong} wrong frames`);
  console.log(`  repeat visit               ${repeat.ms.toFixed(0)} ms, ${repeat.wrong} wrong frames`);
} finally {
  await stack.stop();
}
const dir = join(ROOT, 'sdk/dist/browser/ml');
console.log('gzip -9 sizes of the ML chunks:');
for (const f of readdirSync(dir)) console.log(`  ${f.replace(/-[A-Za-z0-9_-]{8}\.js$/, '.js').padEnd(22)} ${gzipSync(readFileSync(join(dir, f)), { level: 9 }).byteLength} B`);
