import { ENTRY_POINTS } from '../../../../functions/index';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { PubSub, v1, type Subscription } from '@google-cloud/pubsub';
import { bundleScript, type BundleReport } from '../../../../cli/package/bundle-function';
import { functionNeeds } from '../../../../cli/package/function-needs';
import { packageFunctions } from '../../../../cli/package/main';
import { startPubSubEmulator, type PubSubEmulator } from '../../../../emulators/pubsub';
import { startVertexEmulator, type VertexEmulator } from '../../../../emulators/vertex/vertex-emulator';

/**
 * The packaged functions as Cloud Functions runs them: the Functions Framework on the bundle
 * folder, invoked the way Terraform wires it (a Pub/Sub push to /projects/P/topics/T), talking to
 * the emulators through the bundled official clients.
 */
const ROOT = join(__dirname, '..', '..', '..', '..');
const FRAMEWORK = join(ROOT, 'node_modules/@google-cloud/functions-framework/build/src/main.js');
const PROJECT = 'ferry-package-test';
const run = promisify(execFile);

let out: string;
let reports: BundleReport[];
let pubsubEmulator: PubSubEmulator;
let vertexEmulator: VertexEmulator;
let pubsub: PubSub;
let inbox: Subscription;
let subscriber: v1.SubscriberClient;

beforeAll(async () => {
  mkdirSync(join(ROOT, 'build'), { recursive: true });
  out = mkdtempSync(join(ROOT, 'build', 'test-contract-package-'));
  reports = await packageFunctions(ROOT, out);
  pubsubEmulator = await startPubSubEmulator();
  vertexEmulator = await startVertexEmulator({
    project: PROJECT,
    backend: { load: () => Promise.reject(new Error('no predictions in this test')) },
  });
  pubsub = new PubSub({ apiEndpoint: pubsubEmulator.host, projectId: PROJECT });
  const [topic] = await pubsub.createTopic('ferry.dead-letter');
  [inbox] = await topic.createSubscription('inbox');
  subscriber = new v1.SubscriberClient({
    servicePath: '127.0.0.1',
    port: pubsubEmulator.port,
    sslCreds: grpc.credentials.createInsecure(),
  });
}, 120_000);

afterAll(async () => {
  await subscriber?.close();
  await pubsub?.close();
  await pubsubEmulator?.stop();
  await vertexEmulator?.stop();
  rmSync(out, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts the framework as a push-invoked gen2 function is started (signature type http; the code registers a CloudEvent function). */
async function serve(
  entryPoint: string,
  signatureType = 'http',
): Promise<{ url: string; child: ChildProcess; logs: () => string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PUBSUB_EMULATOR_HOST: pubsubEmulator.host,
    GOOGLE_CLOUD_PROJECT: PROJECT,
    FERRY_PROJECT: PROJECT,
    FERRY_STATE_BUCKET: 'state',
  };
  delete env.NODE_ENV;
  const child = spawn(
    process.execPath,
    [
      FRAMEWORK,
      `--target=${entryPoint}`,
      `--source=${join(out, entryPoint)}`,
      `--port=${port}`,
      `--signature-type=${signatureType}`,
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let logs = '';
  child.stdout!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entryPoint} did not start: ${logs}`)), 20_000);
    child.stdout!.on('data', () => {
      if (logs.includes('Serving function')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`${entryPoint} exited ${code}: ${logs}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, logs: () => logs };
}

/** The body a Pub/Sub push subscription sends (default wrapper). */
function pushBody(data: string, subscription: string) {
  return {
    message: {
      data: Buffer.from(data).toString('base64'),
      messageId: '17',
      publishTime: new Date().toISOString(),
      attributes: {},
    },
    subscription,
  };
}

async function pullOne(subscription: Subscription): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const [response] = await subscriber.pull({ subscription: subscription.name, maxMessages: 1 });
    const received = response.receivedMessages ?? [];
    if (received.length > 0) {
      await subscriber.acknowledge({ subscription: subscription.name, ackIds: [received[0].ackId!] });
      return JSON.parse(Buffer.from(received[0].message!.data as Uint8Array).toString('utf8')) as Record<
        string,
        unknown
      >;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing arrived on ${subscription.name}`);
}

/**
 * What is deployed must hold no path to an emulator: the local stack configures firebase-admin
 * from emulators/ (emulators/firebase-ml/sdk-app.ts), never through code in functions/.
 */
describe('every function bundle is free of emulator-only code', () => {
  const EMULATOR_ONLY = [
    'FERRY_FIREBASE_ML_EMULATOR', // the variables the local stack sets for itself
    'createEmulatorAgent',
    'exchangeJwt',
    'emulatorCredential',
    'ferry-firebase-ml',
  ];

  it('packages every entry point, publishMobile with firebase-admin', () => {
    expect(reports.map((r) => r.entryPoint).sort()).toEqual([...ENTRY_POINTS].sort());
    expect(ENTRY_POINTS).toHaveLength(9);
    expect(reports.find((r) => r.entryPoint === 'publishMobile')!.inputs).toEqual(
      expect.arrayContaining([expect.stringMatching(/(^|\/)node_modules\/firebase-admin\//)]),
    );
  });

  it('notifyRunEvent: neither the Vertex AI client nor firebase-admin among its inputs', () => {
    const report = reports.find((r) => r.entryPoint === 'notifyRunEvent')!;
    expect(
      report.inputs.filter((input) => /node_modules\/(@google-cloud\/aiplatform|firebase-admin)\//.test(input)),
    ).toEqual([]);
    // What it does carry: the Storage client (its notification markers).
    expect(report.inputs).toEqual(
      expect.arrayContaining([expect.stringMatching(/node_modules\/@google-cloud\/storage\//)]),
    );
  });

  it.each([
    'onArtifact',
    'registerModel',
    'deployModel',
    'awaitOperation',
    'validatePredictions',
    'publishMobile',
    'notifyRunEvent',
  ])('%s: no module under emulators/ among its inputs, none of the emulator-only names in the bundle', (entryPoint) => {
    const report = reports.find((r) => r.entryPoint === entryPoint)!;
    expect(report.inputs.filter((input) => /(^|\/)emulators\//.test(input))).toEqual([]);
    const bundle = readFileSync(join(report.dir, report.main), 'utf8');
    expect(EMULATOR_ONLY.filter((text) => bundle.includes(text))).toEqual([]);
  });
});

describe('registerModel bundle under the Functions Framework', () => {
  it('decodes a Pub/Sub push sent to /projects/P/topics/T as a messagePublished CloudEvent and dead-letters a malformed message', async () => {
    const fn = await serve('registerModel');
    try {
      const response = await fetch(`${fn.url}/projects/${PROJECT}/topics/ferry.savedmodel.ready`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(pushBody('not json {', `projects/${PROJECT}/subscriptions/registerModel-trigger`)),
      });
      expect(response.status).toBeLessThan(300);
      const parked = await pullOne(inbox);
      expect(parked).toMatchObject({ function: 'registerModel', eventId: '17' });
      expect(String(parked.error)).toMatch(/message\.data is not JSON: not json \{/);
      expect(fn.logs()).toMatch(/"severity":"ERROR","message":"malformed message, sent to ferry.dead-letter/);
      // The push path names the topic, which becomes the CloudEvent's source.
      expect(fn.logs()).not.toMatch(/Failed to extract the topic name/);
    } finally {
      fn.child.kill();
    }
  }, 60_000);
});

describe('onArtifact bundle under the Functions Framework', () => {
  it('takes a binary-mode Storage finalize CloudEvent (as Eventarc sends it) and dead-letters a malformed one', async () => {
    const fn = await serve('onArtifact', 'cloudevent');
    try {
      const response = await fetch(`${fn.url}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'ce-id': 'storage-1',
          'ce-source': `//storage.googleapis.com/projects/_/buckets/artifacts`,
          'ce-type': 'google.cloud.storage.object.v1.finalized',
          'ce-specversion': '1.0',
          'ce-time': new Date().toISOString(),
        },
        body: JSON.stringify({ bucket: 'artifacts' }),
      });
      expect(response.status).toBeLessThan(300);
      const parked = await pullOne(inbox);
      expect(parked).toMatchObject({ function: 'onArtifact', eventId: 'storage-1', data: { bucket: 'artifacts' } });
      expect(fn.logs()).toMatch(/malformed storage event, sent to ferry.dead-letter/);
    } finally {
      fn.child.kill();
    }
  }, 60_000);
});

describe('validatePredictions bundle with pruned Vertex protos', () => {
  it('calls ModelService and EndpointService (with an LRO) on the emulator over gRPC', async () => {
    const file = await bundleScript(
      ROOT,
      functionNeeds(ROOT, 'validatePredictions'),
      join(out, 'validatePredictions', 'functions', 'entry', 'probe-vertex.js'),
      `import { endpointClient, modelClient, predictionClient, vertex } from '../adapters/vertex/vertex-clients';
       (async () => {
         const parent = vertex().parent;
         const [models] = await modelClient().listModels({ parent });
         const [operation] = await endpointClient().createEndpoint({ parent, endpoint: { displayName: 'bundle-probe' } });
         const [endpoint] = await operation.promise();
         const [endpoints] = await endpointClient().listEndpoints({ parent });
         console.log(JSON.stringify({ models: models.length, created: endpoint.displayName, endpoints: endpoints.map((e) => e.displayName), predict: typeof predictionClient().predict }));
         process.exit(0);
       })().catch((e) => { console.log(JSON.stringify({ error: String(e) })); process.exit(1); });`,
    );
    const { stdout } = await run(process.execPath, [file], {
      env: {
        ...process.env,
        FERRY_PROJECT: PROJECT,
        FERRY_LOCATION: vertexEmulator.location,
        FERRY_VERTEX_EMULATOR: `127.0.0.1:${vertexEmulator.port}`,
        FERRY_STATE_BUCKET: 'state',
      },
      timeout: 60_000,
    });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({
      models: 0,
      created: 'bundle-probe',
      endpoints: ['bundle-probe'],
      predict: 'function',
    });
  }, 60_000);
});
