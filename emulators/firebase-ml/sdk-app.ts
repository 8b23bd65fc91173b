import * as admin from 'firebase-admin/app';
import type { App } from 'firebase-admin/app';
import { readClientConfig } from './client-config';
import { createEmulatorAgent } from './emulator-agent';
import { emulatorCredential } from './token-exchange';

const DEFAULT_APP = '[DEFAULT]';

/**
 * A firebase-admin app whose calls go over TLS (verified against the emulator's CA) to the
 * emulator named by `env`, configured only through documented app options: `projectId`,
 * `credential` and `httpAgent`
 * (https://firebase.google.com/docs/reference/admin/node/firebase-admin.app.appoptions).
 * Returns the existing app of that name if there is one (one per emulator address by default).
 */
export function firebaseMlEmulatorApp(env: NodeJS.ProcessEnv, name?: string): App {
  const config = readClientConfig(env);
  const appName = name ?? `ferry-firebase-ml@${config.host}`;
  const existing = admin.getApps().find((app) => app.name === appName);
  if (existing) return existing;
  const agent = createEmulatorAgent(config.hostname, config.port, config.caPem);
  const credential = emulatorCredential(admin, config.account, agent);
  return admin.initializeApp({ projectId: config.account.project_id, credential, httpAgent: agent }, appName);
}

/**
 * Makes the emulator's app the process's default Firebase app, which ferry's functions use
 * (`getFirebaseApp()` takes the default app when one is initialized), replacing any default app
 * left by an earlier stack. Returns what deletes it again, for a stack that stops while the
 * process goes on (tests run several stacks one after another in one process).
 */
export async function useEmulatorAsDefaultApp(env: NodeJS.ProcessEnv): Promise<() => Promise<void>> {
  await deleteDefaultApp();
  const app = firebaseMlEmulatorApp(env, DEFAULT_APP);
  return async () => {
    if (admin.getApps().includes(app)) await admin.deleteApp(app);
  };
}

async function deleteDefaultApp(): Promise<void> {
  const existing = admin.getApps().find((app) => app.name === DEFAULT_APP);
  if (existing) await admin.deleteApp(existing);
}
