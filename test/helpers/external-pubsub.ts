import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findGcloud } from '../contract/emulators/storage/gcloud-cli';

/**
 * Google's Pub/Sub emulator (`gcloud beta emulators pubsub start`, Java), for tests that run the
 * stack on an external emulator. Kept minimal: pubsub-diff's test/helpers/google-pubsub-emulator.ts
 * does the same for the contract suite; one of the two should go at merge.
 * https://cloud.google.com/pubsub/docs/emulator
 */
export interface ExternalPubsub {
  /** `127.0.0.1:PORT`: the value for `--pubsub`. */
  host: string;
  stop(): Promise<void>;
}

/** The JVM starts in about 5 s here; a loaded runner takes longer. */
const START_TIMEOUT_MS = 60_000;

/** Why Google's emulator cannot run here, or undefined when it can. */
export function externalPubsubMissing(): string | undefined {
  if (!findGcloud()) return 'gcloud is not on PATH';
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
  return java ? undefined : 'java is not on PATH (the emulator needs Java 17)';
}

/** Starts it on a free port in its own process group (gcloud's Python and its Java child stop together). */
export async function startExternalPubsub(project: string): Promise<ExternalPubsub> {
  const port = await freePort();
  const work = mkdtempSync(join(tmpdir(), 'ferry-external-pubsub-'));
  mkdirSync(join(work, 'data'));
  const child = spawn(
    'gcloud',
    [
      'beta',
      'emulators',
      'pubsub',
      'start',
      `--host-port=127.0.0.1:${port}`,
      `--project=${project}`,
      `--data-dir=${join(work, 'data')}`,
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CLOUDSDK_CONFIG: join(work, 'config'), CLOUDSDK_CORE_DISABLE_PROMPTS: '1' },
    },
  );
  const stop = async () => {
    await killGroup(child);
    rmSync(work, { recursive: true, force: true });
  };
  let log = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "Server started" within ${START_TIMEOUT_MS} ms:\n${log}`)),
        START_TIMEOUT_MS,
      );
      const read = (chunk: Buffer) => {
        if (log.length < 20_000) log += chunk.toString('utf8');
        if (log.includes('Server started')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`gcloud exited with ${String(code)} before the emulator started:\n${log}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { host: `127.0.0.1:${port}`, stop };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** SIGTERM to the group, SIGKILL if it lingers; resolves when gcloud has exited. */
async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // gone already
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
  signal('SIGKILL'); // the JVM may outlive gcloud's Python for a moment
}
