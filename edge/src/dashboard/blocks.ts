import { Hono } from 'hono';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { BLOCK_ID, PROSPECTS, SEGMENT_KEY } from '../../../sdk/src/contract/index.js';
import type { BlockConfig, Variant } from '../../../sdk/src/contract/index.js';
import { blockPolicy, checkedConfig } from '../blocks/sanitize.js';
import { configVersion, currentConfig, listVersions, saveConfig } from '../blocks/store.js';
import type { AppEnv } from '../env.js';
import { EdgeError } from '../errors.js';
import { back, csrfField, page, when } from './layout.js';
import { currentManifest } from '../models/registry.js';
import { previewPanel, storefrontOrigin } from './preview.js';
import { editForm, previewLink, variantSummary } from './variant-form.js';

/** Blocks the demo storefront renders; listed even before anything is configured for them. */
const KNOWN_BLOCKS = ['hero', 'offer'];
const FIELDS = ['title', 'text', 'imageUrl', 'link', 'html'] as const;

async function segmentNames(c: Context<AppEnv>, config: BlockConfig): Promise<string[]> {
  const manifest = await currentManifest(c.env);
  const configured = Object.values(config.blocks).flatMap((variants) => Object.keys(variants));
  // Prospects (no order yet) are not a model segment, but the most common visitor: always editable.
  return [...new Set(['default', PROSPECTS, ...(manifest?.segments.map((s) => s.name) ?? []), ...configured])];
}

function blockAndSegment(c: Context<AppEnv>): { block: string; segment: string } {
  const { block, segment } = c.req.param() as { block: string; segment: string };
  if (!BLOCK_ID.test(block) || !SEGMENT_KEY.test(segment))
    throw new EdgeError(404, 'not_found', 'No such block or segment');
  return { block, segment };
}

/** The form's fields as a variant: empty fields are left out, so an all-empty form removes the variant. */
function variantFrom(form: Record<string, unknown>): Variant {
  const variant: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const value = typeof form[field] === 'string' ? (form[field] as string).trim() : '';
    if (value !== '') variant[field] = value;
  }
  const products =
    typeof form.products === 'string'
      ? form.products
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)
      : [];
  if (products.length > 0) variant.products = products;
  return variant as Variant;
}

/**
 * Saving goes through exactly what `PUT /v1/blocks` does (BlockConfigSchema, sanitizeConfig, saveConfig with
 * its optimistic version check), so the dashboard can never store what the API would refuse.
 */
async function save(c: Context<AppEnv>, config: unknown, revertedFrom: number | null = null): Promise<BlockConfig> {
  const checked = checkedConfig(config, blockPolicy(c.env));
  return saveConfig(c.env.DB, checked, Date.now(), c.get('publisher'), revertedFrom);
}

/** Turns a refused save into a message on the page the merchandiser came from, instead of raw JSON. */
async function attempt(c: Context<AppEnv>, path: string, run: () => Promise<string>): Promise<Response> {
  try {
    return back(c, path, { ok: await run() });
  } catch (err) {
    if (err instanceof EdgeError && err.status < 500) return back(c, path, { error: err.message });
    throw err;
  }
}

/**
 * What each segment sees in each block: an overview with preview links and the version history (revert), an
 * edit form per block and segment.
 */
export const blockViews = new Hono<AppEnv>()
  .get('/', async (c) => {
    const [config, versions] = await Promise.all([currentConfig(c.env.DB), listVersions(c.env.DB)]);
    const segments = await segmentNames(c, config);
    const blocks = [...new Set([...KNOWN_BLOCKS, ...Object.keys(config.blocks)])];
    const asked = c.req.query('preview');
    // A segment of the model rather than "default" first: that is what most shoppers get.
    const previewed = asked && segments.includes(asked) ? asked : (segments[1] ?? segments[0]!);
    const body = html`<div class="split"><div>
<p>Live configuration: version <strong>${config.version}</strong>${config.version > 0 ? html`, saved ${when(config.updatedAt)}` : ''}. A segment without its own variant sees <em>default</em>, and without that the page's built-in content.</p>
${blocks.map(
  (
    block,
  ) => html`<section class="card" aria-labelledby="b-${block}"><h2 id="b-${block}">Block <code>${block}</code></h2>
<div class="scroll"><table><thead><tr><th scope="col">Segment</th><th scope="col">Variant</th><th scope="col">Actions</th></tr></thead><tbody>
${segments.map(
  (segment) => html`<tr><th scope="row">${segment}</th><td>${variantSummary(config.blocks[block]?.[segment])}</td>
<td><a href="/dashboard/blocks/${block}/${segment}">Edit<span class="muted"> ${block} for ${segment}</span></a> ${previewLink(segment)}</td></tr>`,
)}
</tbody></table></div></section>`,
)}
<section aria-labelledby="hist-h"><h2 id="hist-h">History</h2>
${
  versions.length === 0
    ? html`<p class="muted">Nothing saved yet.</p>`
    : html`<div class="scroll"><table><thead><tr><th scope="col">Version</th><th scope="col">Saved</th><th scope="col">By</th><th scope="col">Blocks</th><th scope="col">Revert</th></tr></thead><tbody>
${versions.map(
  (
    ver,
  ) => html`<tr><th scope="row">${ver.version}${ver.revertedFrom === null ? '' : html` <span class="muted">(revert of ${ver.revertedFrom})</span>`}</th><td>${when(ver.updatedAt)}</td><td>${ver.savedBy ?? html`<span class="muted">unknown</span>`}</td><td>${ver.blocks}</td>
<td>${ver.version === config.version ? 'live' : html`<form method="post" action="/dashboard/blocks/revert">${csrfField(c)}<input type="hidden" name="version" value="${ver.version}"><button type="submit">Revert to ${ver.version}</button></form>`}</td></tr>`,
)}
</tbody></table></div>`
}</section></div>
${previewPanel(c, { segment: previewed, segments })}</div>`;
    return page(c, 'Blocks', body, { frame: storefrontOrigin(c.env), script: true });
  })
  .post('/revert', async (c) =>
    attempt(c, 'blocks', async () => {
      const version = Number((await c.req.parseBody()).version);
      const [old, current] = await Promise.all([
        Number.isSafeInteger(version) ? configVersion(c.env.DB, version) : null,
        currentConfig(c.env.DB),
      ]);
      if (!old) throw new EdgeError(404, 'not_found', `Version ${version} does not exist`);
      const saved = await save(c, { ...old, version: current.version + 1 }, version);
      return `Reverted to version ${version}; live is now version ${saved.version}.`;
    }),
  )
  .get('/:block/:segment', async (c) => {
    const { block, segment } = blockAndSegment(c);
    const config = await currentConfig(c.env.DB);
    const body = html`<div class="split">${editForm(c, { block, segment, base: config.version, variant: config.blocks[block]?.[segment] })}${previewPanel(c, { segment })}</div>`;
    return page(c, `Edit ${block} for ${segment}`, body, { frame: storefrontOrigin(c.env) });
  })
  .post('/:block/:segment', async (c) => {
    const { block, segment } = blockAndSegment(c);
    return attempt(c, `blocks/${block}/${segment}`, async () => {
      const form = await c.req.parseBody();
      const base = Number(form.base);
      const current = await currentConfig(c.env.DB);
      const variant = variantFrom(form);
      const { [segment]: _replaced, ...others } = current.blocks[block] ?? {};
      const variants = Object.keys(variant).length > 0 ? { ...others, [segment]: variant } : others;
      const { [block]: _old, ...rest } = current.blocks;
      const blocks = Object.keys(variants).length > 0 ? { ...rest, [block]: variants } : rest;
      // The version the form was loaded at, not the current one: a save on top of someone else's is a conflict.
      const saved = await save(c, {
        version: (Number.isSafeInteger(base) ? base : current.version) + 1,
        updatedAt: new Date().toISOString(),
        blocks,
      });
      return `Saved ${block} for ${segment}: live is now version ${saved.version}.`;
    });
  });
