import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENTRY_POINTS as FUNCTION_NAMES } from '../functions/entry-points';
import { countStorageCalls } from './call-counter';
import { startMessageRecorder, type MessageRecorder } from './dead-letter-recorder';
import { startFunctionProcesses, type FunctionProcesses } from './functions-host/function-processes';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from './local-cloud';
import { waitUntilSettled } from './settled';
import { createStackSubscriptions, optionalFunctions, OPTIONAL_TRIGGERS, RETRY } from './stack-subscriptions';
import { TOPICS } from '../functions/pipeline/topics';

export interface LocalStackOptions extends LocalCloudOptions {
  /** Workflows to load (default: the repository's `workflows/`). */
  workflowsDir?: string;
  /** How often and how long awaitOperation polls before handing on (default 50 ms / 3 s locally). */
  awaitPollMs?: number;
  awaitBudgetMs?: number;
  /** How long a stage's claim on a run lasts (FERRY_CLAIM_MS; default 10 s: local work is short). */
  claimMs?: number;
  /** Delivery attempts before a message goes to ferry.dead-letter. */
  maxDeliveryAttempts?: number;
  /**
   * How often the stack publishes a reconciler tick on ferry.reconcile, as Cloud Scheduler does
   * (default 10 minutes of real time; `reconcileNow()` publishes one at once).
   */
  reconcileEveryMs?: number;
  /**
   * Serve each function in its own child process (as separate Cloud Functions instances are), so
   * a test can kill one mid-call and start it again. Default: all in this process.
   */
  functionProcesses?: boolean;
}

export interface LocalStack {
  cloud: LocalCloud;
  buckets: { artifacts: string; state: string; mobile: string };
  /** Each function's URL, served by the Functions Framework. */
  functions: Record<string, string>;
  /**
   * Everything on ferry.dead-letter (forwarded by a dead-letter policy, or published there by a
   * function that could not use a message), and storage events Eventarc would have given up on.
   */
  deadLetters(): Array<{ source: string; data: unknown; attributes?: Record<string, string> }>;
  /** Storage JSON API calls received since start (or `resetStorageCalls`), by method (`objects.list`, ...). */
  storageCalls(): Record<string, number>;
  resetStorageCalls(): void;
  /**
   * Resolves once no storage event and no push message is on its way to a function (see
   * `isSettled`): after it, "nothing more happened" is a fact, not a guess about timing. Rejects
   * on an external Pub/Sub emulator, whose backlog cannot be read.
   */
  settled(timeoutMs?: number): Promise<void>;
  /** With `functionProcesses`: kill and restart function instances. */
  processes?: FunctionProcesses;
  /** Publishes a reconciler tick now (its pass runs when the push arrives); the message id. */
  reconcileNow(): Promise<string>;
  stop(): Promise<void>;
}

export {
  invokerEmail,
  OPTIONAL_TRIGGERS,
  triggerPushConfig,
  TRIGGERS,
  WITHOUT_DEAD_LETTER,
} from './stack-subscriptions';

/** Cloud Scheduler's default period for the reconciler (terraform: reconcile_schedule). */
const RECONCILE_EVERY_MS = 10 * 60_000;

/**
 * The local cloud plus ferry's functions, each served by the Functions Framework on 127.0.0.1 and
 * triggered as Terraform wires them: Storage finalize CloudEvents from Eventarc to onArtifact, plain
 * Pub/Sub push subscriptions (JSON envelope, OIDC token; the Functions Framework converts them to
 * CloudEvents) to the others, with retry and dead-letter policies. One stack per process:
 * the functions read their configuration from `process.env`, as in Cloud Functions.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const timeScale = options.timeScale ?? 0.001;
  const cloud = await startLocalCloud({ ...options, timeScale });
  const servers: Server[] = [];
  const calls = countStorageCalls(cloud.storage.port);
  let processes: FunctionProcesses | undefined;
  let recorder: MessageRecorder | undefined;
  let ticks: { close(): Promise<void> } | undefined;
  let restoreEnv = () => {};
  let releaseFirebase = async () => {};
  try {
    const buckets = { artifacts: 'ferry-artifacts', state: 'ferry-state', mobile: 'ferry-mobile' };
    for (const bucket of Object.values(buckets)) cloud.storage.createBucket(bucket);
    restoreEnv = setEnv({
      ...cloud.env,
      FERRY_STATE_BUCKET: buckets.state,
      FERRY_MOBILE_BUCKET: buckets.mobile,
      FERRY_AWAIT_POLL_MS: String(options.awaitPollMs ?? 50),
      FERRY_AWAIT_BUDGET_MS: String(options.awaitBudgetMs ?? 3000),
      // A claim left by a killed instance holds its run this long: short, since local calls are.
      FERRY_CLAIM_MS: String(options.claimMs ?? 10_000),
      ...(options.workflowsDir ? { FERRY_WORKFLOWS_DIR: options.workflowsDir } : {}),
    });
    const functions: Record<string, string> = {};
    // Optional functions are served only when configured, as Terraform deploys them.
    const optional = optionalFunctions(process.env);
    const offered = new Set(Object.values(OPTIONAL_TRIGGERS));
    const served = FUNCTION_NAMES.filter((name) => !offered.has(name) || optional.includes(name));
    if (options.functionProcesses) {
      processes = await startFunctionProcesses(served, { ...process.env }, process.env.FERRY_LOG_FILE);
      Object.assign(functions, processes.urls);
    } else {
      // The in-process functions' getFirebaseApp() takes the default app: this stack's emulator.
      const { useEmulatorAsDefaultApp } = await import('./firebase-ml/sdk-app');
      releaseFirebase = await useEmulatorAsDefaultApp(cloud.env);
      // Registers every entry point with the Functions Framework.
      await import('../functions/index');
      const { getTestServer } = await import('@google-cloud/functions-framework/testing');
      for (const name of served) {
        const server = getTestServer(name);
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        servers.push(server);
        functions[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      }
    }
    recorder = await startMessageRecorder();
    const recorded = recorder;
    const { PubSub } = await import('@google-cloud/pubsub');
    const pubsub = new PubSub({ apiEndpoint: cloud.pubsubHost, projectId: cloud.projectId });
    try {
      await createStackSubscriptions(pubsub, {
        projectId: cloud.projectId,
        functions,
        deadLetterRecorderUrl: recorded.url,
        maxDeliveryAttempts: options.maxDeliveryAttempts ?? 10,
        replaceExisting: !cloud.pubsub,
        optional,
      });
    } finally {
      await pubsub.close();
    }
    const scheduler = startTicks(cloud, TOPICS.reconcile, options.reconcileEveryMs ?? RECONCILE_EVERY_MS);
    ticks = scheduler;
    const storageTrigger = cloud.storage.subscribe({
      url: functions.onArtifact,
      eventTypes: ['google.cloud.storage.object.v1.finalized'],
      bucket: buckets.artifacts,
      retry: {
        minBackoffMs: RETRY.minBackoffS * 1000,
        maxBackoffMs: RETRY.maxBackoffS * 1000,
        maxAttempts: options.maxDeliveryAttempts ?? 10,
      },
      timeScale,
    });
    return {
      cloud,
      buckets,
      functions,
      deadLetters: () => {
        // ferry's emulator knows which subscription forwarded each dead letter; on an external
        // one, the recorder's copy carries it as an attribute (CloudPubSubDeadLetterSourceSubscription).
        const forwarded = cloud.pubsub?.deadLetters() ?? [];
        const ids = new Set(forwarded.map((m) => m.messageId));
        return [
          ...forwarded.map((m) => ({
            source: m.sourceSubscription,
            data: parseJson(m.data),
            attributes: m.attributes,
          })),
          ...recorded
            .messages()
            .filter((m) => !ids.has(m.messageId))
            .map((m) => ({
              source: m.attributes[DEAD_LETTER_SOURCE] ?? `published to ${TOPICS.deadLetter}`,
              data: parseJson(m.data),
              attributes: m.attributes,
            })),
          ...storageTrigger.deliveryStats().droppedEvents.map((d) => ({
            source: 'onArtifact (storage trigger)',
            data: d.event,
            attributes: { lastError: d.lastError },
          })),
        ];
      },
      storageCalls: () => calls.counts(),
      resetStorageCalls: () => calls.reset(),
      settled: (timeoutMs = 60_000) => {
        const own = cloud.pubsub;
        if (!own) return Promise.reject(new Error(EXTERNAL_PUBSUB_UNSETTLED));
        return waitUntilSettled(own, [storageTrigger], timeoutMs);
      },
      processes,
      reconcileNow: () => scheduler.tick(),
      stop: async () => {
        storageTrigger.close();
        await scheduler.close();
        calls.close();
        await recorded.stop();
        await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
        if (processes) await processes.stop();
        else {
          const { closeClients } = await import('../functions/entry/wiring');
          await closeClients();
          await releaseFirebase();
        }
        await cloud.stop();
        restoreEnv();
      },
    };
  } catch (error) {
    restoreEnv();
    await releaseFirebase();
    calls.close();
    await ticks?.close();
    await recorder?.stop();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await processes?.stop();
    await cloud.stop();
    throw error;
  }
}

/** Cloud Scheduler's stand-in: publishes `{}` on the reconciler's topic every `everyMs`. */
function startTicks(cloud: LocalCloud, topic: string, everyMs: number) {
  let client: import('@google-cloud/pubsub').PubSub | undefined;
  const tick = async () => {
    const { PubSub } = await import('@google-cloud/pubsub');
    client ??= new PubSub({ apiEndpoint: cloud.pubsubHost, projectId: cloud.projectId });
    return client.topic(topic).publishMessage({ json: {} });
  };
  const timer = setInterval(() => void tick().catch(() => undefined), everyMs);
  timer.unref();
  return {
    tick,
    close: async () => {
      clearInterval(timer);
      await client?.close();
    },
  };
}

/** The attribute Pub/Sub adds to a forwarded dead letter: which subscription gave up on it. */
const DEAD_LETTER_SOURCE = 'CloudPubSubDeadLetterSourceSubscription';

const EXTERNAL_PUBSUB_UNSETTLED =
  "settled() reads the backlog of ferry's own Pub/Sub emulator; an external one (pubsubHost) does not show it: wait for the run's end instead";

function parseJson(data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    return data.toString('utf8');
  }
}

/**
 * Sets variables in process.env (the in-process functions read their configuration there, as in
 * Cloud Functions) and returns what puts the old values back, so a second stack in the same
 * process (benchmarks, tests) never sees the first one's hosts and files.
 */
function setEnv(vars: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
