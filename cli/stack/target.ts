import type { Storage } from '@google-cloud/storage';
import { useStackFile } from './stack-env';

/** The buckets a command works on: a running `ferry up` stack, or a real project's environment. */
export interface Target {
  storage: Storage;
  artifactsBucket: string;
  stateBucket: string;
  local: boolean;
}

/** `project`: a real project named on the command line (`--project`): the stack file is not read. */
export async function resolveTarget(project?: string): Promise<Target> {
  if (project) process.env.FERRY_PROJECT = project;
  const stack = project ? undefined : useStackFile();
  const artifactsBucket = process.env.FERRY_ARTIFACTS_BUCKET ?? stack?.buckets.artifacts;
  const stateBucket = process.env.FERRY_STATE_BUCKET ?? stack?.buckets.state;
  if (!artifactsBucket || !stateBucket) {
    throw new Error(
      'no running local stack (.ferry/stack.json) and FERRY_ARTIFACTS_BUCKET / FERRY_STATE_BUCKET are not set: start one with `ferry up`, or set them for a real project',
    );
  }
  const { Storage: StorageClient } = await import('@google-cloud/storage');
  return { storage: new StorageClient(), artifactsBucket, stateBucket, local: Boolean(stack) };
}
