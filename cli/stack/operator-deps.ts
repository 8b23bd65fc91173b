import { hostname, userInfo } from 'node:os';
import type { WorkflowSet } from '../../functions/core/workflow/workflow-set';
import type { DocumentStore, Logger } from '../../functions/pipeline/ports';
import type { StageDeps } from '../../functions/pipeline/run-stage';
import type { MobileRolloutDeps } from '../../functions/pipeline/stages/mobile-rollout';
import type { RolloutDeps } from '../../functions/pipeline/stages/rollout-actions';
import type { CliIo } from '../io';
import { loadCliWorkflows } from '../workflows-dir';
import { useStackFile } from './stack-env';
import { openVertexPorts } from './vertex-ports';

/**
 * What the operator's verbs (approve, reject, abort, retry, rollback) act through: the same run
 * store, publisher and Vertex adapters the functions use (functions/entry/wiring.ts), so a verb is
 * one more delivery to the run, under the same claim and compare-and-set, whether it targets
 * `ferry up` or a real project.
 */
export interface OperatorDeps extends StageDeps, RolloutDeps {
  workflows: WorkflowSet;
  /** The state bucket's documents: endpoint leases. */
  leases: DocumentStore;
  /** Who acts, recorded on the run. */
  by: string;
  /** Remote Config and the Firebase manifest: abort and rollback of staged mobile rollouts. */
  mobileRollout?: MobileRolloutDeps;
  close(): Promise<void>;
}

/** `$FERRY_OPERATOR`, else user@host: what the run record says did it. */
export function operatorName(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FERRY_OPERATOR) return env.FERRY_OPERATOR;
  let user = 'someone';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the host still says where it came from.
  }
  return `${user}@${hostname()}`;
}

/**
 * The local stack (`.ferry/stack.json`, FERRY_STACK_FILE) unless `--project` names a real one;
 * a real project needs FERRY_STATE_BUCKET (Terraform output `state_bucket`) and Application
 * Default Credentials. Throws a message saying what to set.
 */
export async function openOperator(io: CliIo, project?: string): Promise<OperatorDeps> {
  if (project) process.env.FERRY_PROJECT = project;
  else useStackFile();
  if (!process.env.FERRY_PROJECT)
    throw new Error(
      'no running local stack (.ferry/stack.json) and no project: start one with `ferry up`, or pass --project (or set FERRY_PROJECT) for a real one',
    );
  if (!process.env.FERRY_STATE_BUCKET)
    throw new Error(
      `FERRY_STATE_BUCKET is not set: for project ${process.env.FERRY_PROJECT}, export FERRY_STATE_BUCKET=$(terraform -chdir=terraform output -raw state_bucket)`,
    );
  const [{ Storage }, { PubSub }, vertex] = await Promise.all([
    import('@google-cloud/storage'),
    import('@google-cloud/pubsub'),
    openVertexPorts(),
  ]);
  const { GcsDocuments } = await import('../../functions/adapters/gcs/gcs-documents');
  const { GcsRunStore } = await import('../../functions/adapters/gcs/gcs-run-store');
  const { PubSubPublisher } = await import('../../functions/adapters/pubsub/pubsub-publisher');
  // Clients of its own (as openVertexPorts' are), not the functions' shared ones.
  const storage = new Storage();
  const pubsub = new PubSub();
  const documents = new GcsDocuments(() => storage, process.env.FERRY_STATE_BUCKET);
  const clock = { now: () => new Date(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  const log: Logger = {
    info: () => {},
    warn: (message) => io.err(`warning: ${message}`),
    error: (message) => io.err(message),
  };
  const mobile = await openMobileRollout(() => storage, clock);
  return {
    mobileRollout: mobile.deps,
    runs: new GcsRunStore(documents),
    publisher: new PubSubPublisher(() => pubsub),
    clock,
    log,
    endpoints: vertex.endpoints,
    registry: vertex.registry,
    workflows: loadCliWorkflows(),
    leases: documents,
    by: operatorName(),
    close: async () => {
      await Promise.all([pubsub.close(), vertex.close(), mobile.close()]);
    },
  };
}

/**
 * Remote Config and the Firebase manifest for abort and rollback of staged mobile rollouts:
 * firebase-admin on the local stack's emulator when one runs (its variables are set), else on
 * Application Default Credentials for the real project; the manifest in FERRY_MOBILE_BUCKET.
 */
async function openMobileRollout(
  storage: () => import('@google-cloud/storage').Storage,
  clock: MobileRolloutDeps['clock'],
): Promise<{ deps: MobileRolloutDeps; close(): Promise<void> }> {
  const admin = await import('firebase-admin/app');
  const { FirebaseRemoteConfigTemplates } = await import('../../functions/adapters/firebase/remote-config-templates');
  const { FirebaseStorageChannel } = await import('../../functions/adapters/firebase/storage-channel');
  const { FIREBASE_ML_EMULATOR_ENV } = await import('../../emulators/firebase-ml/client-config');
  const { firebaseMlEmulatorApp } = await import('../../emulators/firebase-ml/sdk-app');
  let app: import('firebase-admin/app').App | undefined;
  const appOf = () => {
    if (app) return app;
    if (process.env[FIREBASE_ML_EMULATOR_ENV.host]) {
      app = firebaseMlEmulatorApp(process.env, 'ferry-cli-operator');
    } else {
      app =
        admin.getApps().find((a) => a.name === 'ferry-cli-operator') ??
        admin.initializeApp({ projectId: process.env.FERRY_PROJECT }, 'ferry-cli-operator');
    }
    return app;
  };
  const bucket = process.env.FERRY_MOBILE_BUCKET;
  return {
    deps: {
      templates: new FirebaseRemoteConfigTemplates(appOf),
      manifest: bucket ? new FirebaseStorageChannel(storage, bucket) : undefined,
      clock,
    },
    close: async () => {
      if (app && admin.getApps().includes(app)) await admin.deleteApp(app);
    },
  };
}
