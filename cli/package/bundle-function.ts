import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { leaveOut, prunedVertexProtos, tfliteWasmBesideBundle, TFLITE_DIR } from './bundle-plugins';
import type { FunctionNeeds } from './function-needs';

/** Left to npm in the function's package.json: the Functions Framework must be the one copy that both serves and registers the function. */
export const EXTERNAL = ['@google-cloud/functions-framework'];

/** The aiplatform v1 client module of each service vertex-clients.ts requires. */
export const VERTEX_CLIENT_MODULES: Record<string, string> = {
  'google.cloud.aiplatform.v1.ModelService': 'model_service_client',
  'google.cloud.aiplatform.v1.EndpointService': 'endpoint_service_client',
  'google.cloud.aiplatform.v1.PredictionService': 'prediction_service_client',
};

export const VERTEX_PROTOS = 'node_modules/@google-cloud/aiplatform/build/protos/protos.json';

/** The wasm builds tflite-wasm.ts may load (threaded builds need workers and are never used). */
export const TFLITE_WASM_FILES = [
  'tflite_web_api_cc_simd.js',
  'tflite_web_api_cc_simd.wasm',
  'tflite_web_api_cc.js',
  'tflite_web_api_cc.wasm',
];

export interface BundleReport {
  entryPoint: string;
  dir: string;
  main: string;
  bundleBytes: number;
  totalBytes: number;
  files: number;
  /** Modules esbuild put in the bundle (paths relative to the repository, or `namespace:path`). */
  inputs: string[];
  vertexTypes?: number;
  vertexProtoBytes?: number;
}

/**
 * Builds `<outDir>/<entryPoint>/` as Cloud Functions uploads it: the bundle at the same relative
 * path as its source (so `functions/entry/config.ts` still finds `../../workflows`), the
 * workflows, the TFLite wasm where used, and a package.json naming only what stays external.
 * @see https://cloud.google.com/functions/docs/writing/specifying-dependencies-nodejs
 */
export async function bundleFunction(root: string, outDir: string, needs: FunctionNeeds): Promise<BundleReport> {
  const dir = join(outDir, needs.entryPoint);
  rmSync(dir, { recursive: true, force: true });
  const main = needs.source.replace(/\.ts$/, '.js');
  const report: BundleReport = {
    entryPoint: needs.entryPoint,
    dir,
    main,
    bundleBytes: 0,
    totalBytes: 0,
    files: 0,
    inputs: [],
  };
  const result = await build({
    ...bundleOptions(root, needs, (types, bytes) => {
      report.vertexTypes = types;
      report.vertexProtoBytes = bytes;
    }),
    entryPoints: [join(root, needs.source)],
    outfile: join(dir, main),
    metafile: true,
  });
  report.inputs = Object.keys(result.metafile.inputs).sort();
  copyFolder(join(root, 'workflows'), join(dir, 'workflows'));
  if (needs.tfliteWasm) copyTfliteWasm(root, join(dir, dirname(main)));
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(functionPackageJson(root, needs.entryPoint, main), null, 2)}\n`,
  );
  report.bundleBytes = statSync(join(dir, main)).size;
  for (const file of listFiles(dir)) {
    report.files += 1;
    report.totalBytes += statSync(file).size;
  }
  return report;
}

/**
 * esbuild settings shared by the packaged functions and the cold-start benchmark's probes: Node 20
 * CommonJS, minified (less to parse at start), names kept for readable stack traces, and the
 * plugins that keep only what this function reaches.
 */
export function bundleOptions(
  root: string,
  needs: FunctionNeeds,
  onProtos: (types: number, bytes: number) => void = () => {},
  pruneVertex = true,
): BuildOptions {
  const plugins: Plugin[] = [tfliteWasmBesideBundle()];
  if (needs.vertexServices.length === 0) plugins.push(leaveOut(/^@google-cloud\/aiplatform(\/|$)/, needs.entryPoint));
  else {
    // A client whose service is not in the pruned protos could not work: left out with a clear error instead.
    const unused = Object.entries(VERTEX_CLIENT_MODULES)
      .filter(([service]) => !needs.vertexServices.includes(service))
      .map(([, module]) => module);
    if (unused.length > 0)
      plugins.push(
        leaveOut(new RegExp(`^@google-cloud/aiplatform/build/src/v1/(${unused.join('|')})$`), needs.entryPoint),
      );
    if (pruneVertex) plugins.push(prunedVertexProtos(join(root, VERTEX_PROTOS), needs.vertexServices, onProtos));
  }
  if (!needs.firebase) plugins.push(leaveOut(/^firebase-admin(\/|$)/, needs.entryPoint));
  return {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    minify: true,
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'linked',
    logLevel: 'error',
    plugins,
  };
}

/**
 * Bundles a TypeScript snippet (resolved from `functions/entry/`) with the same settings and
 * plugins as `needs.entryPoint`'s function, into `outfile`. The cold-start benchmark and the
 * packaging tests use it to run code inside a packaged function's folder.
 */
export async function bundleScript(
  root: string,
  needs: FunctionNeeds,
  outfile: string,
  source: string,
  pruneVertex = true,
): Promise<string> {
  await build({
    ...bundleOptions(root, needs, undefined, pruneVertex),
    stdin: {
      contents: source,
      resolveDir: join(root, 'functions', 'entry'),
      sourcefile: `${basename(outfile, '.js')}.ts`,
      loader: 'ts',
    },
    outfile,
  });
  return outfile;
}

/** The package.json Cloud Build installs from: `main`, Node 20, and the external packages at the versions bundled against. */
export function functionPackageJson(root: string, entryPoint: string, main: string): object {
  const dependencies: Record<string, string> = {};
  for (const name of EXTERNAL) {
    const installed = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    };
    dependencies[name] = installed.version;
  }
  return { name: `ferry-${entryPoint.toLowerCase()}`, private: true, main, engines: { node: '20' }, dependencies };
}

/** Puts the TFLite wasm runtime where a bundle in `bundleDir` looks for it (see `tfliteWasmBesideBundle`). */
export function copyTfliteWasm(root: string, bundleDir: string): void {
  const from = join(root, 'node_modules/@tensorflow/tfjs-tflite');
  const to = join(bundleDir, TFLITE_DIR);
  mkdirSync(join(to, 'wasm'), { recursive: true });
  copyFileSync(join(from, 'package.json'), join(to, 'package.json'));
  for (const file of TFLITE_WASM_FILES) copyFileSync(join(from, 'wasm', file), join(to, 'wasm', file));
}

function copyFolder(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const path = join(from, name);
    if (statSync(path).isDirectory()) copyFolder(path, join(to, name));
    else copyFileSync(path, join(to, name));
  }
}

export function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
