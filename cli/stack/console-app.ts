import { deleteApp, type App } from 'firebase-admin/app';
import { firebaseMlEmulatorApp } from '../../emulators/firebase-ml/sdk-app';
import type { LocalStack } from '../../emulators/local-stack';

/**
 * A person in the Firebase console, played through firebase-admin on the stack's emulators (Remote
 * Config, Firebase ML): an app of its own for `work`, deleted after it.
 */
export async function withConsole<T>(stack: LocalStack, name: string, work: (app: App) => Promise<T>): Promise<T> {
  const app = firebaseMlEmulatorApp(stack.cloud.env, name);
  try {
    return await work(app);
  } finally {
    await deleteApp(app);
  }
}
