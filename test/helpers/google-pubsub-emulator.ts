import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasGcloud } from './gcloud';

/**
 * Google's own Pub/Sub emulator (the Java one `gcloud beta emulators pubsub start` runs, from the
 * google-cloud-cli-pubsub-emulator package), for running the contract suite against it.
 * @see https://cloud.google.com/pubsub/docs/emulator
 */
export interface GooglePubSubEmulator {
  /** `127.0.0.1:PORT`, the value for PUBSUB_EMULATOR_HOST. */
  host: string;
  port: number;
  /** Milliseconds from spawn to "Server started" in its log. */
  startMs: number;
  stop(): Promise<void>;
}

/** gcloud and the JVM start in about 2.3 s on an idle 2-core machine, 5 s under load; leave room for a busy one. */
export const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 3_000;

/** Why Google's emulator cannot run here (gcloud or java missing), or undefined when it can. */
export function googleEmulatorMissing(): string | undefined {
  if (!hasGcloud()) return 'gcloud is not on PATH';
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).status !== 0)
    return 'java is not on PATH (the emulator needs Java 17)';
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Kills the whole process group (gcloud's python and the java it starts), then waits for gcloud to exit. */
async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid as number), sig);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
  signal('SIGKILL'); // java may outlive gcloud's python for a moment
}

/** The JVM could not bind its port: another socket took it after `freePort` let it go. */
class PortTakenError extends Error {}

/** Ports tried before giving up: the free port is only free when it is picked. */
const PORT_ATTEMPTS = 3;

/**
 * Starts Google's emulator on a free 127.0.0.1 port in its own process group, with an isolated
 * gcloud configuration and data dir, and resolves once its log says "Server started". The port
 * is free when picked, but gcloud takes seconds to start the JVM, and meanwhile a client socket
 * of the test run can be given the same ephemeral port (seen in CI: BindException, and gcloud
 * never exits): on that, another port is tried.
 */
export async function startGooglePubSubEmulator(project: string): Promise<GooglePubSubEmulator> {
  const missing = googleEmulatorMissing();
  if (missing) throw new Error(`Google's Pub/Sub emulator cannot start: ${missing}.`);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOn(await freePort(), project);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

async function startOn(port: number, project: string): Promise<GooglePubSubEmulator> {
  const work = mkdtempSync(join(tmpdir(), 'ferry-google-pubsub-'));
  mkdirSync(join(work, 'data')); // gcloud writes env.yaml there and does not create it
  const started = Date.now();
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
      env: {
        ...process.env,
        CLOUDSDK_CONFIG: join(work, 'config'),
        CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
        CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: 'true',
      },
    },
  );
  // A jest worker that dies without afterAll must not leave a JVM behind.
  const onExit = (): void => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', onExit);
  let log = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "Server started" within ${START_TIMEOUT_MS} ms:\n${log}`)),
        START_TIMEOUT_MS,
      );
      const read = (chunk: Buffer): void => {
        // Keep only the start of the log: the emulator logs every call afterwards.
        if (log.length < 20_000) log += chunk.toString('utf8');
        if (/Server started/.test(log)) {
          clearTimeout(timer);
          resolve();
        } else if (/BindException: Address already in use/.test(log)) {
          clearTimeout(timer);
          reject(new PortTakenError(`port ${port} was taken before the emulator bound it:\n${log}`));
        }
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`gcloud exited with ${String(code)} before the emulator started:\n${log}`));
      });
    });
  } catch (err) {
    await killGroup(child);
    process.off('exit', onExit);
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
  const startMs = Date.now() - started;
  return {
    host: `127.0.0.1:${port}`,
    port,
    startMs,
    stop: async () => {
      await killGroup(child);
      process.off('exit', onExit);
      rmSync(work, { recursive: true, force: true });
    },
  };
}
