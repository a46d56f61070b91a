import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startLocalEdge } from '../edge/local/start.js';
import { startStorefront } from './server.js';

/**
 * `npm run demo`: a local edge (wrangler dev, local D1/KV/R2 under .shoal/demo, migrations applied) serving
 * the default model from models/, plus the demo storefront. Ports and token come from the environment.
 */
const root = fileURLToPath(new URL('../', import.meta.url));
const edgePort = Number(process.env.SHOAL_EDGE_PORT ?? 8787);
const storefrontPort = Number(process.env.SHOAL_STOREFRONT_PORT ?? 8080);
const token = process.env.SHOAL_PUBLISH_TOKEN ?? 'shoal-dev-token';
const defaultModelDir = `${root}models/default`;

const localEdge = await startLocalEdge({
  port: edgePort,
  persistDir: `${root}.shoal/demo`,
  publishToken: token,
  allowedOrigins: `http://127.0.0.1:${storefrontPort}`,
  // Optional named tokens (`alice:…,bob:…`) beside the printed one, so the dashboard shows who changed what.
  vars: process.env.SHOAL_PUBLISH_TOKENS ? { PUBLISH_TOKENS: process.env.SHOAL_PUBLISH_TOKENS } : undefined,
  log: process.env.SHOAL_DEBUG ? (line) => console.log(`[edge] ${line}`) : undefined,
});
// The snippet appends file names to the edge URL, so it must end with a slash.
const edge = { url: new URL(localEdge.url).href, stop: localEdge.stop };

// The shipped default is published once per version: on a fresh .shoal/demo, and again after models/default
// changes (a pull), while a version the edge already knows stays as published or rolled back.
const { version } = JSON.parse(readFileSync(`${defaultModelDir}/manifest.json`, 'utf8')) as { version: string };
const known = await fetch(new URL(`v1/models/${version}/manifest.json`, edge.url), {
  signal: AbortSignal.timeout(10_000),
});
await known.body?.cancel();
if (known.status === 404) {
  console.log(`publishing the default model ${version} to the local edge…`);
  const published = spawnSync(
    `${root}node_modules/.bin/tsx`,
    [`${root}trainer/src/cli.ts`, 'publish', '--dir', defaultModelDir, '--edge', edge.url, '--token', token],
    { stdio: 'inherit' },
  );
  if (published.status !== 0) {
    await edge.stop();
    throw new Error('could not publish the default model; see the output above');
  }
}

const shop = await startStorefront({ edgeUrl: edge.url, port: storefrontPort });
console.log(`storefront: ${shop.url}`);
console.log(`edge: ${edge.url}`);
console.log(`publish token (local only): ${token}`);
console.log('Ctrl-C stops both.');

const stop = async () => {
  await Promise.allSettled([shop.stop(), edge.stop()]);
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
