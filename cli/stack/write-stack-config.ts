import { resolve } from 'node:path';
import { exportLine, gcloudTargetFromEnv, writeGcloudConfig } from './gcloud-config';
import { removeStackFile, writeStackFile, type StackFile } from './stack-env';

/** What `ferry up` tells other terminals about a running stack. */
export interface StackConfig {
  /** Absolute paths of `.ferry/stack.json` and the gcloud configuration folder. */
  stackFile: string;
  gcloudDir: string;
  /** Everything the official client libraries need (emulator hosts, buckets, project). */
  env: Record<string, string>;
  /** The one line that makes gcloud (and ferry, from any folder) use this stack; README Deploy steps 3–4 need BUCKET. */
  exportLine: string;
}

/**
 * Writes `<dir>/stack.json` for `ferry drop|status|plan` and `<dir>/gcloud/` as a CLOUDSDK_CONFIG
 * for `gcloud storage|pubsub|ai`. The gcloud folder keeps its path across restarts (so an exported
 * CLOUDSDK_CONFIG stays valid) and is overwritten, never removed: a shell that still exports it
 * after the stack stops gets "connection refused" from 127.0.0.1, not a fresh configuration
 * that asks to log in to a real project.
 */
export function writeStackConfig(
  stack: { cloud: { env: Record<string, string> }; buckets: StackFile['buckets'] },
  dir = '.ferry',
): StackConfig {
  const env = {
    ...stack.cloud.env,
    FERRY_STATE_BUCKET: stack.buckets.state,
    FERRY_ARTIFACTS_BUCKET: stack.buckets.artifacts,
    FERRY_MOBILE_BUCKET: stack.buckets.mobile,
  };
  const stackFile = resolve(dir, 'stack.json');
  const gcloudDir = resolve(dir, 'gcloud');
  writeGcloudConfig(gcloudDir, gcloudTargetFromEnv(env));
  writeStackFile({ env, buckets: stack.buckets, pid: process.pid }, stackFile);
  return {
    stackFile,
    gcloudDir,
    env,
    exportLine: exportLine({
      CLOUDSDK_CONFIG: gcloudDir,
      BUCKET: stack.buckets.artifacts,
      FERRY_STACK_FILE: stackFile,
    }),
  };
}

/** Removes the stack file when the stack stops; the gcloud folder stays (see writeStackConfig). */
export function removeStackConfig(config: StackConfig): void {
  removeStackFile(config.stackFile);
}
