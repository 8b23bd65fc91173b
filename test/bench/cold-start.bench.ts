/**
 * Cold start of each packaged function, the way Cloud Functions starts it: a fresh Node process
 * running the Functions Framework on the bundle, timed from spawn to the server listening, with
 * its peak RSS. Then what the first event adds: building the clients it constructs lazily (in
 * the same bundle). Baselines in the same run: the naive `require('@google-cloud/aiplatform')`
 * with its three v1 clients, the same probe without the pruned Vertex protos, and the Functions
 * Framework serving an empty function.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFunction, bundleScript } from '../../cli/package/bundle-function';
import { functionNeeds, type FunctionNeeds } from '../../cli/package/function-needs';
import { ENTRY_POINTS } from '../../functions/index';
import type { Bench, BenchRow } from './harness';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'build', 'cold-start-bench');
const FRAMEWORK = join(ROOT, 'node_modules/@google-cloud/functions-framework/build/src/main.js');
const RUNS = 5;
/**
 * A fresh instance's environment: ours, without whatever an earlier benchmark's local stack left
 * in process.env (emulator hosts and CA files that no longer exist).
 */
function freshEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(FERRY_|STORAGE_EMULATOR|PUBSUB_EMULATOR|GOOGLE_CLOUD_PROJECT|GCLOUD_PROJECT)/.test(key)) env[key] = value;
  return { ...env, ...ENV };
}

const ENV = {
  FERRY_STATE_BUCKET: 'ferry-bench-state',
  FERRY_PROJECT: 'ferry-bench',
  FERRY_LOCATION: 'us-central1',
  FERRY_VERTEX_EMULATOR: '127.0.0.1:9',
};

interface Sample {
  ms: number;
  peakMb: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** Spawn → "Serving function..." on stdout (printed from the server's listen callback). */
function startFunction(source: string, target: string, port: number): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const env = freshEnv();
    delete env.NODE_ENV;
    const child = spawn(
      process.execPath,
      [FRAMEWORK, `--target=${target}`, `--source=${source}`, `--port=${port}`, '--signature-type=cloudevent'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    let done = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (done || !out.includes('Serving function')) return;
      done = true;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const peakMb = peakRssMb(child.pid!);
      child.kill();
      resolve({ ms, peakMb });
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      if (!done) reject(new Error(`${target} exited (${code}) before listening: ${err.slice(0, 500)}`));
    });
  });
}

/** Runs a script that prints `{"ms":..}` after its own timed section; peak RSS read by the script itself. */
function runProbe(file: string): Promise<Sample & { loadMs: number }> {
  return new Promise((resolve, reject) => {
    const env = freshEnv();
    const child = spawn(process.execPath, [file], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"probe"'));
      if (code !== 0 || !line) reject(new Error(`${file} failed (${code}): ${err.slice(0, 800)}`));
      else resolve(JSON.parse(line) as Sample & { loadMs: number });
    });
  });
}

const REPORT = `const s=require('node:fs').readFileSync('/proc/self/status','utf8');process.stdout.write(JSON.stringify({probe:1,loadMs:t0,ms:performance.now()-t0,peakMb:Number(/VmHWM:\\s+(\\d+)/.exec(s)[1])/1024})+'\\n');process.exit(0);`;

/** What the first event constructs in this function (its lazy clients, the workflows, the wasm runtime). */
function probeSource(needs: FunctionNeeds): string {
  const lines = [
    `const t0 = performance.now();`,
    `import { workflows } from './wiring';`,
    `import { storageClient } from '../adapters/gcs/storage-client';`,
    `import { pubsubClient } from '../adapters/pubsub/pubsub-publisher';`,
  ];
  const calls = ['workflows()', 'storageClient()', 'pubsubClient()'];
  const vertex = {
    'google.cloud.aiplatform.v1.ModelService': 'modelClient',
    'google.cloud.aiplatform.v1.EndpointService': 'endpointClient',
    'google.cloud.aiplatform.v1.PredictionService': 'predictionClient',
  } as Record<string, string>;
  const clients = needs.vertexServices.map((s) => vertex[s]);
  if (clients.length > 0) {
    lines.push(`import { ${clients.join(', ')} } from '../adapters/vertex/vertex-clients';`);
    calls.push(...clients.map((c) => `${c}()`));
  }
  if (needs.firebase) {
    lines.push(`import { getFirebaseApp } from '../adapters/firebase/firebase-app';`);
    calls.push('getFirebaseApp()');
  }
  if (needs.tfliteWasm) {
    lines.push(`import { tfliteWasm } from '../runtime/tflite/tflite-wasm';`);
    calls.push('await tfliteWasm()');
  }
  return `${lines.join('\n')}\n(async () => { ${calls.join('; ')}; ${REPORT} })();\n`;
}

function buildProbe(needs: FunctionNeeds, dir: string, name: string, pruneVertex: boolean): Promise<string> {
  return bundleScript(ROOT, needs, join(dir, 'functions', 'entry', `${name}.js`), probeSource(needs), pruneVertex);
}

async function sample(times: number, fn: () => Promise<Sample>): Promise<{ ms: number; peakMb: number }> {
  const samples: Sample[] = [];
  for (let i = 0; i < times; i += 1) samples.push(await fn());
  return { ms: median(samples.map((s) => s.ms)), peakMb: Math.max(...samples.map((s) => s.peakMb)) };
}

export const bench: Bench = {
  id: 'cold-start',
  title: 'Cold start of the packaged functions (spawn → Functions Framework listening)',
  async run(): Promise<BenchRow[]> {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const rows: BenchRow[] = [];
    const naiveFile = join(OUT, 'naive.js');
    writeFileSync(
      naiveFile,
      `const t0=performance.now();const ai=require('@google-cloud/aiplatform');const o={apiEndpoint:'us-central1-aiplatform.googleapis.com'};new ai.v1.ModelServiceClient(o);new ai.v1.EndpointServiceClient(o);new ai.v1.PredictionServiceClient(o);${REPORT}`,
    );
    const naive = await sample(RUNS, () => runProbe(naiveFile));
    const naiveBase = { name: 'naive aiplatform + 3 clients', value: naive.ms };
    rows.push({
      name: 'baseline: require aiplatform + 3 v1 clients',
      value: naive.ms,
      unit: 'ms',
      detail: `peak ${naive.peakMb.toFixed(0)} MB`,
    });

    const emptyDir = join(OUT, 'empty');
    mkdirSync(emptyDir, { recursive: true });
    writeFileSync(
      join(emptyDir, 'index.js'),
      `require('@google-cloud/functions-framework').cloudEvent('empty', () => {});`,
    );
    const empty = await sample(RUNS, () => startFunction(emptyDir, 'empty', 18300));
    rows.push({
      name: 'floor: Functions Framework, empty function',
      value: empty.ms,
      unit: 'ms',
      detail: `peak ${empty.peakMb.toFixed(0)} MB`,
    });

    let port = 18301;
    for (const entryPoint of ENTRY_POINTS) {
      const needs = functionNeeds(ROOT, entryPoint);
      const report = await bundleFunction(ROOT, OUT, needs);
      const ready = await sample(RUNS, () => startFunction(report.dir, entryPoint, port++));
      rows.push({
        name: `${entryPoint} ready`,
        value: ready.ms,
        unit: 'ms',
        baseline: naiveBase,
        detail: `peak ${ready.peakMb.toFixed(0)} MB; bundle ${(report.bundleBytes / 2 ** 20).toFixed(1)} MiB`,
      });
      const probe = await sample(RUNS, async () => runProbe(await buildProbe(needs, report.dir, 'probe', true)));
      const what = [
        'workflows',
        'storage',
        'pubsub',
        ...needs.vertexServices.map((s) => s.split('.').pop()),
        ...(needs.firebase ? ['firebase'] : []),
        ...(needs.tfliteWasm ? ['tflite wasm'] : []),
      ].join(', ');
      if (needs.vertexServices.length > 0) {
        const unpruned = await sample(3, async () =>
          runProbe(await buildProbe(needs, report.dir, 'probe-unpruned', false)),
        );
        rows.push({
          name: `${entryPoint} first event: lazy clients`,
          value: probe.ms,
          unit: 'ms',
          baseline: { name: 'same, full Vertex protos', value: unpruned.ms },
          detail: `${what}; peak ${probe.peakMb.toFixed(0)} MB vs ${unpruned.peakMb.toFixed(0)} MB`,
        });
      } else {
        rows.push({
          name: `${entryPoint} first event: lazy clients`,
          value: probe.ms,
          unit: 'ms',
          detail: `${what}; peak ${probe.peakMb.toFixed(0)} MB`,
        });
      }
    }
    rmSync(OUT, { recursive: true, force: true });
    return rows;
  },
};
