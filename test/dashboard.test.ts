import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../sdk/src/contract/index.js';
import { plausible, syncPayload } from '../edge/local/harness.js';
import { open, status, visit } from './support/shop.js';
import { publishModel, ROOT, startStack, TOKEN, type Stack } from './support/stack.js';

/** The merchandiser dashboard in real Chromium against the real local edge and demo storefront. */
let stack: Stack;
let dashboard: BrowserContext;
let admin: Page;
// Build artifacts: every view at both viewports, replaced on each run, kept out of git (.gitignore).
const shotsDir = join(ROOT, 'test-results/dashboard');
rmSync(shotsDir, { recursive: true, force: true });
mkdirSync(shotsDir, { recursive: true });
const shots: string[] = [];
const model = JSON.parse(readFileSync(join(ROOT, 'models/default/manifest.json'), 'utf8')) as {
  version: string;
  horizonDays: number;
  segments: { name: string; description: string }[];
};
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
/** Named publish tokens: a CI job publishes, a merchandiser signs in to the dashboard. */
const CI = { name: 'ci-nightly', token: 'ci-nightly-token' };
const MERCH = { name: 'mia', token: 'mia-dashboard-token' };

beforeAll(async () => {
  stack = await startStack({ edgeVars: { PUBLISH_TOKENS: [CI, MERCH].map((p) => `${p.name}:${p.token}`).join(',') } });
  await publishModel(stack.edge.url, join(ROOT, 'models/default'), CI.token);
  dashboard = await stack.browser.newContext();
  admin = await dashboard.newPage();
});
afterAll(async () => {
  console.log(`dashboard screenshots:\n${shots.join('\n')}`);
  await stack?.stop();
});

/** The parts of `GET /v1/stats/profiles` asserted here (edge/src/stats/profiles.ts, typed for workerd). */
interface ProfilesReport {
  segments: {
    name: string;
    shoppers: number;
    typical: { orders: number; spend: number; recencyDays: number | null };
    predicted: { spend: number | null; churnRisk: number | null; shoppers: number };
    tiers: Record<string, number>;
  }[];
}

const dash = (path: string) => new URL(`/dashboard${path}`, stack.edge.url).href;
const hero = (page: Page) => page.innerText('[data-shoal-block="hero"]');
const pwned = (page: Page) => page.evaluate(() => (window as unknown as { pwned?: number }).pwned);

/** Screenshots of the current view at both viewports, after checking it loaded in under a second. */
async function shoot(page: Page, name: string): Promise<void> {
  const loadMs = await page.evaluate(
    () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd,
  );
  expect(loadMs).toBeLessThan(1000);
  for (const [label, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    // Chromium does not paint a cross-origin frame outside the viewport, so bring the preview in first, as
    // a merchandiser scrolling to it would.
    const frame = page.locator('#preview-frame');
    if ((await frame.count()) > 0) await frame.scrollIntoViewIfNeeded();
    // Let the chart's ResizeObserver redraw at the new width before the picture is taken.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    const path = join(shotsDir, `${name}-${label}.png`);
    await page.screenshot({ path, fullPage: true });
    shots.push(path);
  }
  await page.setViewportSize(VIEWPORTS.desktop);
}

/** A fresh shopper on the storefront (own context, so no cached model or segment carries over). */
async function shopper(path = '/'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await stack.browser.newContext();
  return { context, page: await open(stack, context, path) };
}

/** The preview frame once it shows `segment` and the SDK in it has applied the blocks. */
async function previewFrame(segment: string): Promise<Frame> {
  const wanted = (url: URL) => url.searchParams.get('shoal_segment') === segment;
  await admin.waitForFunction(
    (s) => document.querySelector('#preview-frame')?.getAttribute('src')?.endsWith(`shoal_segment=${s}`),
    segment,
    { timeout: 10_000 },
  );
  await expect.poll(() => admin.frame({ url: wanted }) !== null, { timeout: 15_000 }).toBe(true);
  const frame = admin.frame({ url: wanted })!;
  await frame.waitForLoadState('load');
  await frame.waitForFunction(
    () => typeof (window as unknown as { shoal?: { ready?: unknown } }).shoal?.ready === 'function',
    null,
    { timeout: 30_000 },
  );
  await frame.evaluate(() => (window as unknown as { shoal: { ready(): Promise<unknown> } }).shoal.ready());
  return frame;
}

async function saveVariant(block: string, segment: string, fields: Record<string, string>): Promise<void> {
  await admin.goto(dash(`/blocks/${block}/${segment}`));
  for (const [name, value] of Object.entries(fields)) await admin.fill(`[name="${name}"]`, value);
  await admin.click('button[type=submit]:has-text("Save")');
  await expect(admin.getByRole('status').innerText()).resolves.toContain(`Saved ${block} for ${segment}`);
}

describe('merchandiser dashboard', () => {
  it('lets in only a browser that signed in with the publish token', async () => {
    await admin.goto(dash('/blocks'));
    expect(new URL(admin.url()).pathname).toBe('/dashboard/login');
    await shoot(admin, 'login');
    await admin.fill('#token', 'not-the-token');
    await admin.press('#token', 'Enter');
    await expect(admin.getByRole('alert').innerText()).resolves.toMatch(/not a publish token/);
    await admin.fill('#token', MERCH.token);
    await admin.press('#token', 'Enter');
    await admin.waitForURL(/\/dashboard\/segments$/, { timeout: 10_000 });
    await expect(admin.locator('header').innerText()).resolves.toContain(`Signed in as ${MERCH.name}`);
    const cookie = (await dashboard.cookies()).find((c) => c.name === 'shoal_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/dashboard' });
  });

  it('shows the live segment mix as a chart, with each segment in plain words', async () => {
    const { context } = await shopper();
    await admin.goto(dash('/segments'));
    // The shopper above has synced by now; reload until the day's mix counts them (bounded).
    for (let i = 0; i < 20 && (await admin.locator('#segment-chart').count()) === 0; i++) {
      await admin.waitForTimeout(250);
      await admin.reload();
    }
    await admin.waitForFunction(
      () => (document.getElementById('segment-chart') as HTMLCanvasElement | null)?.width,
      null,
      { timeout: 10_000 },
    );
    // Every segment of the model, with how the model described it at training time.
    for (const s of model.segments)
      await expect(admin.getByRole('region', { name: s.name, exact: true }).innerText()).resolves.toContain(
        `At training: ${s.description}`,
      );
    await context.close();
  });

  it('profiles a segment from what its shoppers synced: typical orders, spend and recency, predicted value, churn risk, tiers, size', async () => {
    const profiles = async () =>
      (await (
        await fetch(new URL('/v1/stats/profiles', stack.edge.url), { headers: { authorization: `Bearer ${TOKEN}` } })
      ).json()) as ProfilesReport;
    // A segment nobody is in yet, so the expected numbers are exactly those of the shoppers synced below.
    const taken = new Set((await profiles()).segments.map((p) => p.name));
    const segment = model.segments.map((s) => s.name).find((n) => !taken.has(n))!;
    expect(segment).toBeDefined();
    const shoppers = [
      { orders: 1, revenue: 20, recencyDays: 40, churnRisk: 0.7, predictedSpend: 12, valueTier: 'low' },
      { orders: 2, revenue: 55, recencyDays: 30, churnRisk: 0.5, predictedSpend: 30, valueTier: 'mid' },
      { orders: 3, revenue: 80, recencyDays: 21, churnRisk: 0.4, predictedSpend: 45, valueTier: 'mid' },
      { orders: 5, revenue: 150, recencyDays: 9, churnRisk: 0.2, predictedSpend: 80, valueTier: 'high' },
      { orders: 40, revenue: 9000, recencyDays: 2, churnRisk: 0.1, predictedSpend: 900, valueTier: 'high' },
    ];
    const feature = (name: string) => FEATURE_NAMES.indexOf(name as (typeof FEATURE_NAMES)[number]);
    for (const s of shoppers) {
      const features = FEATURE_NAMES.map(() => 0);
      features[feature('orders')] = Math.log1p(s.orders);
      features[feature('revenue')] = Math.log1p(s.revenue);
      features[feature('recency_days')] = Math.log1p(s.recencyDays);
      const { churnRisk, predictedSpend, valueTier } = s;
      const payload = syncPayload(undefined, {
        features,
        segment,
        modelVersion: model.version,
        churnRisk,
        predictedSpend,
        valueTier,
      });
      const res = await fetch(new URL('/v1/sync', stack.edge.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: new URL(stack.shop.url).origin },
        body: JSON.stringify(payload),
      });
      expect(res.status).toBe(202);
    }
    const middle = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const churn = mean(shoppers.map((s) => s.churnRisk));
    const spend = mean(shoppers.map((s) => s.predictedSpend));

    const live = (await profiles()).segments.find((p) => p.name === segment)!;
    expect(live.shoppers).toBe(shoppers.length);
    expect(live.typical.orders).toBeCloseTo(middle(shoppers.map((s) => s.orders)), 6);
    expect(live.typical.spend).toBeCloseTo(middle(shoppers.map((s) => s.revenue)), 6);
    expect(live.typical.recencyDays).toBeCloseTo(middle(shoppers.map((s) => s.recencyDays)), 2);
    expect(live.predicted).toMatchObject({ shoppers: shoppers.length });
    expect(live.predicted.churnRisk).toBeCloseTo(churn, 9);
    expect(live.predicted.spend).toBeCloseTo(spend, 9);
    expect(live.tiers).toEqual({ low: 1, mid: 2, high: 2 });

    await admin.goto(dash('/segments'));
    const words = await admin.getByRole('region', { name: segment, exact: true }).innerText();
    expect(words).toContain(`${shoppers.length} shoppers`);
    // Medians: the one shopper with 40 orders does not make the segment look like heavy buyers.
    expect(words).toContain(
      `Typically ${middle(shoppers.map((s) => s.orders))} orders and $${middle(shoppers.map((s) => s.revenue))} spent, last order ${middle(shoppers.map((s) => s.recencyDays))} days ago.`,
    );
    expect(words).toContain(`predicted to spend $${Math.round(spend)} each over the next ${model.horizonDays} days`);
    expect(words).toMatch(new RegExp(`churn risk ${Math.round(churn * 100)}% \\((low|moderate|high)\\)`));
    expect(words).toContain('Value tiers: high 40%, mid 40%, low 20%.');
    expect(words).toContain(`At training: ${model.segments.find((s) => s.name === segment)!.description}`);
    await shoot(admin, 'segments');
  });

  it('changes the hero for one segment: its shoppers see it on the next load, a preview of another does not', async () => {
    const { context, page } = await shopper();
    const segment = (await status(page)).segment!;
    const other = model.segments.map((s) => s.name).find((n) => n !== segment)!;
    await saveVariant('hero', segment, { title: 'Hand-picked', text: 'Chosen for you by the dashboard' });
    await visit(stack, page, '/');
    await expect(hero(page)).resolves.toContain('Chosen for you by the dashboard');
    const preview = await open(stack, context, `/?shoal_segment=${other}`);
    await expect(hero(preview)).resolves.not.toContain('Chosen for you by the dashboard');

    // The live preview frames the storefront as each segment sees it: the chosen segment's variant…
    await admin.goto(dash(`/blocks?preview=${segment}`));
    // …and the history says who saved the live version.
    await expect(
      admin.getByRole('region', { name: 'History' }).locator('tbody tr').first().innerText(),
    ).resolves.toContain(MERCH.name);
    expect(await admin.inputValue('#preview-segment')).toBe(segment);
    await (await previewFrame(segment))
      .locator('[data-shoal-block="hero"]', { hasText: 'Chosen for you by the dashboard' })
      .waitFor({ timeout: 15_000 });
    // …and the picker switches it (without reloading the dashboard) to another segment, which does not see it.
    await admin.selectOption('#preview-segment', other);
    const otherFrame = await previewFrame(other);
    expect(
      await otherFrame.evaluate(() =>
        (window as unknown as { shoal: { status(): { segment: string | null; preview: boolean } } }).shoal.status(),
      ),
    ).toMatchObject({ segment: other, preview: true });
    await expect(otherFrame.innerText('[data-shoal-block="hero"]')).resolves.not.toContain(
      'Chosen for you by the dashboard',
    );
    expect(new URL(admin.url()).searchParams.get('preview')).toBe(other);
    expect(await admin.getAttribute('#preview-open', 'href')).toBe(
      `${new URL(stack.shop.url).origin}/?shoal_segment=${other}`,
    );
    await shoot(admin, 'blocks');

    // The edit page previews its segment, and saving reloads the preview with the new variant.
    await saveVariant('hero', other, { title: 'Other title', text: `Only for ${other}` });
    await (await previewFrame(other))
      .locator('[data-shoal-block="hero"]', { hasText: `Only for ${other}` })
      .waitFor({ timeout: 15_000 });
    await shoot(admin, 'block-edit');
    await context.close();
  });

  it('neutralises an XSS payload in a variant, on the storefront and in the dashboard', async () => {
    const { context, page } = await shopper();
    const segment = (await status(page)).segment!;
    const payload =
      '<p class="xss">Safe words</p><img src="x" onerror="window.pwned=1"><script>window.pwned=2</script><a href="javascript:window.pwned=3" onclick="window.pwned=4">go</a>';
    await saveVariant('hero', segment, { html: payload });
    await visit(stack, page, '/');
    await page.locator('[data-shoal-block="hero"] p', { hasText: 'Safe words' }).waitFor({ timeout: 10_000 });
    expect(
      await page.locator('[data-shoal-block="hero"] :is([onerror], [onclick], script, [href^="javascript"])').count(),
    ).toBe(0);
    await page.click('[data-shoal-block="hero"] a').catch(() => undefined);
    expect(await pwned(page)).toBeUndefined();
    await admin.goto(dash('/blocks'));
    await admin.goto(dash(`/blocks/hero/${segment}`));
    expect(await pwned(admin)).toBeUndefined();
    expect(await admin.inputValue('#f-html')).not.toMatch(/onerror|<script/);
    await context.close();
  });

  it('refuses a change without the CSRF token (403) and changes nothing', async () => {
    await admin.goto(dash('/blocks'));
    const before = ((await (await fetch(new URL('/v1/blocks', stack.edge.url))).json()) as { version: number }).version;
    const answers = await admin.evaluate(async () => {
      const post = (headers: Record<string, string>, body: string) =>
        fetch('/dashboard/blocks/revert', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body,
          redirect: 'manual',
        }).then(async (r) => ({ status: r.status, body: await r.json() }));
      return [
        await post({}, 'version=1'),
        await post({ 'X-CSRF-Token': 'forged' }, 'version=1'),
        await post({}, 'version=1&_csrf=forged'),
      ];
    });
    for (const answer of answers) expect(answer).toMatchObject({ status: 403, body: { error: { code: 'csrf' } } });
    const after = ((await (await fetch(new URL('/v1/blocks', stack.edge.url))).json()) as { version: number }).version;
    expect(after).toBe(before);
  });

  it('rolls back a model after confirmation, and the storefront loads the old one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-model-b-'));
    cpSync(join(ROOT, 'models/default'), dir, { recursive: true });
    const second = `${model.version}-b`;
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { version: string };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, version: second }));
    await publishModel(stack.edge.url, dir, CI.token);
    const before = await shopper();
    expect((await status(before.page)).model).toBe(second);
    await before.context.close();

    await admin.goto(dash('/models'));
    // Who published each version: the name of the token used, never a name the client claimed.
    for (const version of [model.version, second]) {
      await expect(admin.getByRole('row', { name: new RegExp(`^${version} `) }).innerText()).resolves.toMatch(
        new RegExp(`by ${CI.name}`),
      );
    }
    await admin.getByRole('link', { name: `Roll back to ${model.version}` }).click();
    await admin.waitForURL(/\/rollback$/, { timeout: 10_000 });
    await shoot(admin, 'rollback-confirm');
    await admin.getByRole('button', { name: `Yes, roll back to ${model.version}` }).click();
    await expect(admin.getByRole('status').innerText()).resolves.toContain(`${model.version} is now current`);
    // Attributed to the signed-in merchandiser, in the registry row and in the change log.
    await expect(admin.getByRole('row', { name: new RegExp(`^${model.version} `) }).innerText()).resolves.toMatch(
      new RegExp(`current[\\s\\S]*Made current again by ${MERCH.name}`),
    );
    const log = admin.getByRole('region', { name: 'Change log' }).locator('tbody tr');
    await expect(log.first().innerText()).resolves.toMatch(
      new RegExp(`${MERCH.name}\\s+Rolled back to ${model.version} \\(was ${second}\\)`),
    );
    await expect(log.nth(1).innerText()).resolves.toMatch(new RegExp(`${CI.name}\\s+Published ${second}`));
    const listed = (await (
      await fetch(new URL('/v1/models', stack.edge.url), { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { models: { version: string; publishedBy: string; lastRollback: { by: string } | null }[] };
    expect(listed.models.find((m) => m.version === model.version)).toMatchObject({
      publishedBy: CI.name,
      lastRollback: { by: MERCH.name },
    });
    await shoot(admin, 'models');
    const after = await shopper();
    expect((await status(after.page)).model).toBe(model.version);
    await after.context.close();
  });

  it('shows drift per feature, raising the alarm only once enough customers have moved away from the training data', async () => {
    const report = async () =>
      (await (
        await fetch(new URL('/v1/stats/drift', stack.edge.url), { headers: { authorization: `Bearer ${TOKEN}` } })
      ).json()) as {
        sample: number;
        minSample: number;
        alarm: boolean;
        features: { name: string; psi: number | null }[];
      };
    const before = await report();
    expect(before.sample).toBeLessThan(before.minSample);
    await admin.goto(dash('/drift'));
    expect(await admin.locator('tbody tr').count()).toBe(before.features.length);
    expect(await admin.getByRole('alert').count()).toBe(0);
    await expect(admin.getByRole('status').first().innerText()).resolves.toContain(
      `Too few customers to judge drift: ${before.sample} synced`,
    );
    await shoot(admin, 'drift-few');

    // Enough customers who all look alike (every feature at one extreme): far from any training histogram.
    const ordersAt = FEATURE_NAMES.indexOf('orders');
    for (let i = 0; i < before.minSample; i++) {
      const features = plausible(FEATURE_NAMES.map((_, f) => (f === ordersAt ? Math.log1p(60) : 8)));
      const res = await fetch(new URL('/v1/sync', stack.edge.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: new URL(stack.shop.url).origin },
        body: JSON.stringify(
          syncPayload(undefined, { features, segment: model.segments[0]!.name, modelVersion: model.version }),
        ),
      });
      expect(res.status).toBe(202);
    }
    expect(await report()).toMatchObject({ alarm: true });
    await admin.reload();
    await expect(admin.getByRole('alert').innerText()).resolves.toMatch(
      /npm run train -- --data .* --out models\/[\s\S]*npm run publish-model -- --dir models\//,
    );
    await shoot(admin, 'drift');
  });

  it('can be driven with the keyboard alone, with a visible focus ring: sign in, open a block, save a variant', async () => {
    const context = await stack.browser.newContext({ viewport: VIEWPORTS.desktop });
    const kb = await context.newPage();
    /** Tabs (at most 80 times) until the focused element matches, then checks it shows a focus ring. */
    const tabTo = async (what: string, want: { tag: string; text?: string; name?: string }) => {
      for (let i = 0; i < 80; i++) {
        await kb.keyboard.press('Tab');
        const focused = await kb.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          return {
            tag: el.tagName,
            text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
            name: el.getAttribute('name'),
            outline: getComputedStyle(el).outlineStyle,
          };
        });
        if (
          focused &&
          focused.tag === want.tag &&
          (want.text === undefined || focused.text === want.text) &&
          (want.name === undefined || focused.name === want.name)
        ) {
          expect(focused.outline, `focus ring on ${what}`).not.toBe('none');
          return;
        }
      }
      throw new Error(`Tab never reached ${what}`);
    };
    await kb.goto(dash('/login'));
    // The token field has autofocus (applied once the page has rendered): type into it without clicking.
    await kb.waitForFunction(() => document.activeElement?.id === 'token', null, { timeout: 10_000 });
    await kb.keyboard.type(MERCH.token);
    await kb.keyboard.press('Enter');
    await kb.waitForURL(/\/dashboard\/segments$/, { timeout: 10_000 });
    await tabTo('the Blocks link', { tag: 'A', text: 'Blocks' });
    await kb.keyboard.press('Enter');
    await kb.waitForURL(/\/dashboard\/blocks$/, { timeout: 10_000 });
    await tabTo('Edit offer for prospects', { tag: 'A', text: 'Edit offer for prospects' });
    await kb.keyboard.press('Enter');
    await kb.waitForURL(/\/dashboard\/blocks\/offer\/prospects$/, { timeout: 10_000 });
    await tabTo('the title field', { tag: 'INPUT', name: 'title' });
    await kb.keyboard.type('Typed without a mouse');
    await tabTo('the Save button', { tag: 'BUTTON', text: 'Save offer for prospects' });
    await kb.keyboard.press('Enter');
    await expect(kb.getByRole('status').innerText()).resolves.toContain('Saved offer for prospects');
    const live = (await (await fetch(new URL('/v1/blocks', stack.edge.url))).json()) as {
      blocks: Record<string, Record<string, { title?: string }>>;
    };
    expect(live.blocks.offer?.prospects?.title).toBe('Typed without a mouse');
    await context.close();
  });

  it('signs out', async () => {
    await admin.goto(dash('/segments'));
    await admin.getByRole('button', { name: 'Sign out' }).click();
    await admin.waitForURL(/\/dashboard\/login$/, { timeout: 10_000 });
    await admin.goto(dash('/models'));
    expect(new URL(admin.url()).pathname).toBe('/dashboard/login');
  });
});
