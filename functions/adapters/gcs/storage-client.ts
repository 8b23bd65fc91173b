import type { Storage } from '@google-cloud/storage';

let storage: Storage | undefined;

/**
 * One Storage client per instance, created on first use. Locally `STORAGE_EMULATOR_HOST` points it
 * at the emulator (the client reads it itself); in Cloud Functions it uses the runtime identity.
 */
export function storageClient(): Storage {
  if (!storage) {
    // Required lazily: the client costs cold start only in functions that touch Storage.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Storage: StorageClient } = require('@google-cloud/storage') as typeof import('@google-cloud/storage');
    storage = new StorageClient();
  }
  return storage;
}

/** The HTTP status of a Storage ApiError, if it is one. */
export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Forgets the client so the next use reads the environment again (local stack restarts). */
export function resetStorageClient(): void {
  storage = undefined;
}
