/**
 * Serves one ferry function in its own process, the way a Cloud Functions instance does: the
 * local stack's process mode starts one per entry point (`tsx serve-function.ts <name> <port>`)
 * so the chaos suite can kill an instance mid-call and start a fresh one on the same port. With
 * the Firebase ML emulator's variables in its environment, it makes the emulator's app the
 * default Firebase app first, as the in-process stack does.
 */
import type { AddressInfo } from 'node:net';
import { FIREBASE_ML_EMULATOR_ENV } from '../firebase-ml/client-config';

async function main(): Promise<void> {
  const [name, port] = process.argv.slice(2);
  if (!name || !port) throw new Error('usage: serve-function.ts <entry point> <port>');
  // As in the in-process stack: the function's getFirebaseApp() takes the default app, pointed
  // here at the stack's Firebase ML emulator before any function code runs.
  if (process.env[FIREBASE_ML_EMULATOR_ENV.host]) {
    const { useEmulatorAsDefaultApp } = await import('../firebase-ml/sdk-app');
    await useEmulatorAsDefaultApp(process.env);
  }
  const { ENTRY_POINTS } = await import('../../functions/index');
  if (!(ENTRY_POINTS as readonly string[]).includes(name))
    throw new Error(`${name}: not one of ${ENTRY_POINTS.join(', ')}`);
  const { getTestServer } = await import('@google-cloud/functions-framework/testing');
  const server = getTestServer(name);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(port), '127.0.0.1', resolve);
  });
  process.send?.({ ready: name, port: (server.address() as AddressInfo).port });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`serve-function: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
