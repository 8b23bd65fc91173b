import type { App } from 'firebase-admin/app';
import type * as FirebaseAppModule from 'firebase-admin/app';

/**
 * The Firebase app ferry's adapters share: the default app if one has been initialized, else a
 * plain `initializeApp()` with application default credentials, as Cloud Functions provides them
 * (https://firebase.google.com/docs/admin/setup#initialize_the_sdk_in_non-google_environments).
 * firebase-admin costs ~60 ms to load, so it is required on first use rather than at module scope.
 * The local stack initializes the default app itself, pointed at its emulator, before any
 * function runs (emulators/firebase-ml/sdk-app.ts); nothing here knows about it.
 */
export function getFirebaseApp(): App {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (cold start)
  const admin = require('firebase-admin/app') as typeof FirebaseAppModule;
  return admin.getApps().find((app) => app.name === '[DEFAULT]') ?? admin.initializeApp();
}
