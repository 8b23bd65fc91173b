import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { bundleScript, EXTERNAL, TFLITE_WASM_FILES, type BundleReport } from '../../../../cli/package/bundle-function';
import { functionNeeds } from '../../../../cli/package/function-needs';
import { packageFunctions } from '../../../../cli/package/main';

const ROOT = join(__dirname, '..', '..', '..', '..');
const run = promisify(execFile);
let out: string;
const reports = new Map<string, BundleReport>();

beforeAll(async () => {
  // Inside the repository, so the external Functions Framework resolves from node_modules as it would after npm install.
  mkdirSync(join(ROOT, 'build'), { recursive: true });
  out = mkdtempSync(join(ROOT, 'build', 'test-package-'));
  for (const report of await packageFunctions(ROOT, out, ['onArtifact', 'registerModel', 'publishMobile']))
    reports.set(report.entryPoint, report);
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Runs a snippet bundled exactly like `entryPoint`'s function, from inside its package folder; returns its JSON line. */
async function probe(
  entryPoint: string,
  source: string,
  env: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const file = await bundleScript(
    ROOT,
    functionNeeds(ROOT, entryPoint),
    join(out, entryPoint, 'functions', 'entry', `probe-${Date.now()}.js`),
    source,
  );
  const { stdout } = await run(process.execPath, [file], {
    env: { ...process.env, FERRY_STATE_BUCKET: 'state', FERRY_PROJECT: 'p', FERRY_LOCATION: 'us-central1', ...env },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

const report = (name: string) => reports.get(name)!;

describe('packaged layout', () => {
  it.each(['onArtifact', 'registerModel', 'publishMobile'])(
    '%s: bundle at its source path, workflows beside, package.json with only the external runtime',
    (entryPoint) => {
      const r = report(entryPoint);
      const pkg = JSON.parse(readFileSync(join(r.dir, 'package.json'), 'utf8')) as {
        main: string;
        dependencies: Record<string, string>;
        engines: { node: string };
      };
      expect(pkg.main).toBe(functionNeeds(ROOT, entryPoint).source.replace(/\.ts$/, '.js'));
      expect(existsSync(join(r.dir, pkg.main))).toBe(true);
      expect(Object.keys(pkg.dependencies)).toEqual(EXTERNAL);
      expect(pkg.dependencies['@google-cloud/functions-framework']).toMatch(/^\d+\.\d+\.\d+$/);
      expect(pkg.engines.node).toBe('20');
      expect(readdirSync(join(r.dir, 'workflows')).sort()).toEqual(readdirSync(join(ROOT, 'workflows')).sort());
      expect(existsSync(join(r.dir, 'node_modules'))).toBe(false);
      expect(r.inputs.some((i) => i.includes('node_modules/@google-cloud/functions-framework'))).toBe(false);
    },
  );

  it('ships the TFLite wasm only with publishMobile', () => {
    const wasmDir = (name: string) => join(report(name).dir, 'functions', 'entry', 'tfjs-tflite', 'wasm');
    expect(readdirSync(wasmDir('publishMobile')).sort()).toEqual([...TFLITE_WASM_FILES].sort());
    expect(existsSync(wasmDir('registerModel'))).toBe(false);
  });

  it('keeps only the Vertex services a function calls, and no Firebase where unused', () => {
    const inputs = (name: string) => report(name).inputs;
    expect(inputs('registerModel')).toContain('ferry-pruned:aiplatform-protos.json');
    expect(inputs('registerModel').some((i) => i.endsWith('aiplatform/build/protos/protos.json'))).toBe(false);
    expect(inputs('registerModel')).toContain(
      'ferry-left-out:@google-cloud/aiplatform/build/src/v1/endpoint_service_client',
    );
    expect(inputs('registerModel').some((i) => i.includes('node_modules/firebase-admin/'))).toBe(false);
    expect(inputs('onArtifact').some((i) => i.includes('node_modules/@google-cloud/aiplatform/'))).toBe(false);
    expect(inputs('publishMobile').some((i) => i.includes('node_modules/firebase-admin/'))).toBe(true);
    expect(report('registerModel').vertexTypes).toBeGreaterThan(50);
  });
});

describe('packaged code runs from its folder', () => {
  it('publishMobile runs a generated TFLite model with the wasm shipped beside the bundle', async () => {
    const result = await probe(
      'publishMobile',
      `import { loadTfliteModel } from '../runtime/tflite/load-tflite-model';
       import { writeExampleTflite } from '../artifacts/tflite/write-example-tflite';
       (async () => {
         const model = await loadTfliteModel(writeExampleTflite({ a: 0.5, b: 2 }));
         const predictions = await model.predict([{ x: [1] }]);
         console.log(JSON.stringify({ predictions, wasmDir: require('../runtime/tflite/tflite-wasm').wasmDirectory() }));
       })();`,
    );
    expect(result.predictions).toEqual([[2.5]]);
    expect(relative(out, String(result.wasmDir))).toBe(
      join('publishMobile', 'functions', 'entry', 'tfjs-tflite', 'wasm'),
    );
  });

  it('registerModel constructs its Vertex client from the pruned protos', async () => {
    const result = await probe(
      'registerModel',
      `import { modelClient } from '../adapters/vertex/vertex-clients';
       const client = modelClient();
       console.log(JSON.stringify({ upload: typeof client.uploadModel, merge: typeof client.mergeVersionAliases, path: client.modelPath('p', 'l', 'm') }));`,
      { FERRY_VERTEX_EMULATOR: '127.0.0.1:9' },
    );
    expect(result).toEqual({ upload: 'function', merge: 'function', path: 'projects/p/locations/l/models/m' });
  });

  it('finds the workflows shipped in its own folder without FERRY_WORKFLOWS_DIR', async () => {
    const result = await probe(
      'onArtifact',
      `import { functionConfig, workflows } from './wiring';
       workflows();
       console.log(JSON.stringify({ dir: functionConfig().workflowsDir }));`,
    );
    expect(relative(out, String(result.dir))).toBe(join('onArtifact', 'workflows'));
  });

  it.each([
    [
      'onArtifact',
      'modelClient',
      /@google-cloud\/aiplatform\/build\/src\/v1\/model_service_client was left out of the onArtifact bundle/,
    ],
    ['registerModel', 'endpointClient', /endpoint_service_client was left out of the registerModel bundle/],
  ])('%s fails clearly if code it was packaged without is called (%s)', async (entryPoint, client, message) => {
    const result = await probe(
      entryPoint,
      `import { ${client} } from '../adapters/vertex/vertex-clients';
       try { ${client}(); console.log(JSON.stringify({ ok: true })); } catch (e) { console.log(JSON.stringify({ error: (e as Error).message })); }`,
      { FERRY_VERTEX_EMULATOR: '127.0.0.1:9' },
    );
    expect(String(result.error)).toMatch(message);
  });
});

describe('packageFunctions', () => {
  it('names an unknown entry point and lists the known ones', async () => {
    await expect(packageFunctions(ROOT, out, ['onArtefact'])).rejects.toThrow(
      /unknown entry point onArtefact; known: onArtifact, registerModel/,
    );
  });
});
