// Builds the SDK: the script-tag core (IIFE), the lazily loaded ML chunk (IIFE), and an ESM build.
// Type declarations come from `tsc -p sdk/tsconfig.build.json` (see the build script).
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import alias from '@rollup/plugin-alias';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';

const out = 'sdk/dist';
// What the edge serves as static assets (edge/wrangler.toml [assets]): the script-tag files and the wasm.
const browserOut = `${out}/browser`;
const require = createRequire(import.meta.url);
// Hashed ESM chunks would otherwise pile up across builds.
rmSync(out, { recursive: true, force: true });

// tfjs-backend-wasm's emscripten glue mentions Node built-ins it only uses under Node; the browser never does.
const NODE_BUILTINS = ['fs', 'path', 'os', 'perf_hooks', 'worker_threads', 'crypto', 'util', 'node-fetch'];
const emptyNodeBuiltins = {
  name: 'empty-node-builtins',
  resolveId: (id) => (NODE_BUILTINS.includes(id) ? `\0empty:${id}` : null),
  load: (id) => (id.startsWith('\0empty:') ? 'export default {};' : null),
};

// The wasm backend fetches its .wasm files at run time from the SDK's own folder, cross-origin from the
// storefront's point of view, hence the CORS header in the assets' _headers file.
const browserAssets = {
  name: 'browser-assets',
  writeBundle() {
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
    mkdirSync(browserOut, { recursive: true });
    for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'])
      copyFileSync(join(dist, f), join(browserOut, f));
    // ES modules load cross-origin only with CORS, like the wasm binaries.
    // Hashed chunks never change under their name: cache them for good (the unhashed entries revalidate).
    const immutable = '  Cache-Control: public, max-age=31536000, immutable\n';
    writeFileSync(join(browserOut, '_headers'), `/*\n  Access-Control-Allow-Origin: *\n/ml/shoal-ml-*\n${immutable}`);
  },
};

// The snippet is pasted inline, so it also ships as ready-to-paste HTML with the anti-flicker rule.
const ANTI_FLICKER =
  '<style>html:not(.shoal-ready) :is([data-shoal-block],[data-shoal-recs]){visibility:hidden}</style>';
const snippetHtml = {
  name: 'snippet-html',
  writeBundle() {
    const js = readFileSync(`${out}/snippet.js`, 'utf8').trim();
    writeFileSync(`${out}/snippet.html`, `${ANTI_FLICKER}\n<script>${js}</script>\n`);
  },
};

// The core imports the ML entry by its content-hashed name, so a page with the chunk cached loads it from the
// browser cache without a revalidation round trip (an unhashed name must be revalidated on every page, ~30-50 ms
// before any ML can start). Rollup runs this file's builds in order: the ML build records the name, the core
// build then replaces __SHOAL_ML_ENTRY__ with it (after esbuild has dropped the `declare`). `ml/shoal-ml.js`
// stays as an unhashed alias for ES module users and the benchmark.
const mlEntryName = (() => {
  let fileName = null;
  return {
    record: {
      name: 'record-ml-entry',
      generateBundle(_, bundle) {
        fileName = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry).fileName;
      },
      writeBundle() {
        writeFileSync(join(browserOut, 'ml/shoal-ml.js'), `export * from './${fileName}';\n`);
      },
    },
    inject: {
      name: 'inject-ml-entry',
      transform(code) {
        if (!code.includes('__SHOAL_ML_ENTRY__')) return null;
        if (!fileName) this.error('the ML chunk must be built before the core');
        return { code: code.replaceAll('__SHOAL_ML_ENTRY__', JSON.stringify(fileName)), map: null };
      },
    },
  };
})();

// In the browser, tfjs-core is the lean entry (no optimizers, no gradients); kernels come from ml/backends/.
const leanTfjs = alias({
  entries: [
    {
      find: /^@tensorflow\/tfjs-core$/,
      replacement: fileURLToPath(new URL('sdk/src/ml/tfjs-core-lean.ts', import.meta.url)),
    },
  ],
});

const plugins = (target) => [
  leanTfjs,
  emptyNodeBuiltins,
  nodeResolve({ browser: true, preferBuiltins: false }),
  commonjs(),
  esbuild({ target, minify: true, legalComments: 'none' }),
];

// The contract and feature modules only declare (types, schemas, constants, pure functions): a build that uses
// none of a module's exports leaves it out. esbuild's minifier drops /* @__PURE__ */ marks before rollup
// sees them, so without this the core would carry the feature ranges and accepted specs it never reads.
const treeshake = { moduleSideEffects: (id) => !/[\\/]sdk[\\/]src[\\/](contract|features)[\\/]/.test(id) };

// tfjs has benign circular imports and `this` at module level; everything else is worth hearing about.
const onwarn = (warning, warn) => {
  if (['CIRCULAR_DEPENDENCY', 'THIS_IS_UNDEFINED'].includes(warning.code)) return;
  warn(warning);
};

export default [
  {
    input: 'sdk/src/snippet.ts',
    // No wrapper: the snippet has no imports or exports and is itself one expression.
    output: { file: `${out}/snippet.js`, format: 'es' },
    plugins: [...plugins('es2017'), snippetHtml],
    onwarn,
  },
  {
    // An ES module the core imports on demand; the GPU backends become chunks of their own. Built before the
    // core, which imports its entry by hashed name (see mlEntryName).
    input: 'sdk/src/ml/entry.ts',
    // The GPU chunks import tfjs from the entry itself; under the default 'strict' the shared code became a
    // chunk of its own behind a re-exporting entry, one more hop in the module waterfall before scoring.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: `${browserOut}/ml`,
      format: 'es',
      entryFileNames: 'shoal-ml-main-[hash].js',
      chunkFileNames: 'shoal-ml-[name]-[hash].js',
    },
    plugins: [...plugins('es2020'), browserAssets, mlEntryName.record],
    treeshake,
    onwarn,
  },
  {
    input: 'sdk/src/browser.ts',
    output: { file: `${browserOut}/shoal.js`, format: 'iife' },
    plugins: [...plugins('es2020'), mlEntryName.inject],
    treeshake,
    onwarn,
  },
  {
    // The merchandiser dashboard's chart script, served by the edge as a static asset at /dashboard/dashboard.js.
    input: 'edge/src/dashboard/client/dashboard.ts',
    output: { file: `${browserOut}/dashboard/dashboard.js`, format: 'iife' },
    plugins: plugins('es2020'),
    onwarn,
  },
  {
    input: 'sdk/src/index.ts',
    output: { dir: `${out}/esm`, format: 'es', entryFileNames: 'index.js', chunkFileNames: '[name]-[hash].js' },
    plugins: plugins('es2020'),
    onwarn,
  },
];
