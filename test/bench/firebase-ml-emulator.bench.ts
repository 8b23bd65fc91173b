import { request, type Agent } from 'node:https';
import { deleteApp } from 'firebase-admin/app';
import { getMachineLearning } from 'firebase-admin/machine-learning';
import { startFirebaseMlEmulator, type FirebaseMlEmulator } from '../../emulators/firebase-ml/firebase-ml-emulator';
import { createEmulatorAgent } from '../../emulators/firebase-ml/emulator-agent';
import { firebaseMlEmulatorApp } from '../../emulators/firebase-ml/sdk-app';
import { writeExampleTflite } from '../../functions/artifacts/tflite/write-example-tflite';
import type { Bench, BenchRow } from './harness';

const PAIRS = 200;
const PROJECT = 'ferry-bench';
const URI = 'gs://ferry-bench-bucket/mobile/bench/model.tflite';

function rawCall(agent: Agent, token: string, method: string, path: string, body: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      `https://firebaseml.googleapis.com${path}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(text))
            : reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function withEmulator<T>(
  validationDelayMs: number,
  fn: (emulator: FirebaseMlEmulator) => Promise<T>,
): Promise<T> {
  const bytes = writeExampleTflite({ a: 0.5, b: 2 });
  const emulator = await startFirebaseMlEmulator({
    projectId: PROJECT,
    validationDelayMs,
    readObject: async () => bytes,
  });
  try {
    return await fn(emulator);
  } finally {
    await emulator.stop();
  }
}

/** Seconds for `count` sequential pairs, after 5 unmeasured warm-up pairs. */
async function timePairs(count: number, pair: (i: number) => Promise<void>): Promise<number> {
  for (let i = 0; i < 5; i += 1) await pair(-1 - i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) await pair(i);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * Create+publish through the unmodified firebase-admin SDK (URL signing, token, JSON, TLS) against
 * the same two calls made with bare https on a keep-alive agent (gs:// uri, no signing): the gap
 * is what the SDK adds. Also the wall time of `waitForUnlocked` when validation takes 100 ms: the
 * SDK polls after 3 s, so a publish step must budget for it.
 */
export const bench: Bench = {
  id: 'firebase-ml-emulator',
  title: 'Firebase ML emulator: create+publish through firebase-admin vs raw HTTPS',
  async run(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    await withEmulator(0, async (emulator) => {
      const app = firebaseMlEmulatorApp({ ...emulator.env });
      const ml = getMachineLearning(app);
      const sdkSeconds = await timePairs(PAIRS, async (i) => {
        const model = await ml.createModel({
          displayName: `sdk_${i < 0 ? `w${-i}` : i}`,
          tfliteModel: { gcsTfliteUri: URI },
        });
        await ml.publishModel(model.modelId);
      });
      const token = (await app.options.credential!.getAccessToken()).access_token;
      const agent = createEmulatorAgent('127.0.0.1', emulator.port, emulator.caPem);
      const base = `/v1beta2/projects/${PROJECT}/models`;
      const rawSeconds = await timePairs(PAIRS, async (i) => {
        const op = (await rawCall(
          agent,
          token,
          'POST',
          base,
          JSON.stringify({ displayName: `raw_${i < 0 ? `w${-i}` : i}`, tfliteModel: { gcsTfliteUri: URI } }),
        )) as { response: { name: string } };
        const id = op.response.name.split('/').pop();
        await rawCall(
          agent,
          token,
          'PATCH',
          `${base}/${id}?updateMask=state.published`,
          JSON.stringify({ state: { published: true } }),
        );
      });
      agent.destroy();
      await deleteApp(app);
      rows.push({
        name: 'create+publish via firebase-admin (validation answered at once)',
        value: PAIRS / sdkSeconds,
        unit: 'pairs/s',
        baseline: { name: 'same two calls, raw https keep-alive, gs:// uri', value: PAIRS / rawSeconds },
        detail: `${PAIRS} pairs each, sequential; tiny TFLite file (${writeExampleTflite({ a: 0.5, b: 2 }).byteLength} bytes) validated by readTflite`,
      });
    });
    await withEmulator(100, async (emulator) => {
      const app = firebaseMlEmulatorApp({ ...emulator.env });
      const ml = getMachineLearning(app);
      const start = process.hrtime.bigint();
      const model = await ml.createModel({ displayName: 'locked_bench', tfliteModel: { gcsTfliteUri: URI } });
      await model.waitForUnlocked(30_000);
      await ml.publishModel(model.modelId);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      await deleteApp(app);
      rows.push({
        name: 'create → waitForUnlocked → publish, 100 ms validation',
        value: ms,
        unit: 'ms',
        baseline: { name: 'validation time', value: 100 },
        detail: 'the SDK first polls the operation at once, then after 3 s (POLL_BASE_WAIT_TIME_MILLISECONDS)',
      });
    });
    return rows;
  },
};
