import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** ferry's functions, one child process each, on ports that stay the same across restarts. */
export interface FunctionProcesses {
  /** Each function's URL (stable: a restarted instance listens on the same port). */
  urls: Record<string, string>;
  /** SIGKILLs the instance, as a crashed or preempted Cloud Functions instance dies: no cleanup. */
  kill(name: string): void;
  /** Starts a fresh instance (cold) if none is running; resolves once it listens. */
  start(name: string): Promise<void>;
  running(name: string): boolean;
  stop(): Promise<void>;
}

/** A cold instance loads tsx, the Functions Framework and ferry's code: give it time on a busy machine. */
const START_TIMEOUT_MS = 60_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts every named function in its own Node process (run through tsx, so no build step), with
 * `env` as its whole environment, as Cloud Functions gives each instance its configuration. Their
 * stdout and stderr (the Functions Framework prints errors a function throws) go to `logFile`
 * when given, else to this process's.
 */
export async function startFunctionProcesses(
  names: readonly string[],
  env: NodeJS.ProcessEnv,
  logFile?: string,
): Promise<FunctionProcesses> {
  const output = logFile ? openSync(logFile, 'a') : 'inherit';
  const ports = new Map<string, number>();
  for (const name of names) ports.set(name, await freePort());
  const children = new Map<string, ChildProcess>();
  const runner = join(__dirname, 'serve-function.ts');

  const start = async (name: string): Promise<void> => {
    if (children.has(name)) return;
    const child = fork(runner, [name, String(ports.get(name))], {
      env,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', output, output, 'ipc'],
    });
    children.set(name, child);
    child.once('exit', () => {
      if (children.get(name) === child) children.delete(name);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name}: function process did not start within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      );
      child.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${name}: function process exited before listening (code ${code}, signal ${signal})`));
      });
    });
  };

  const stopOne = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });

  const processes: FunctionProcesses = {
    urls: Object.fromEntries(names.map((name) => [name, `http://127.0.0.1:${ports.get(name)}/`])),
    kill(name) {
      const child = children.get(name);
      children.delete(name);
      child?.kill('SIGKILL');
    },
    start,
    running: (name) => children.has(name),
    async stop() {
      const all = [...children.values()];
      children.clear();
      await Promise.all(all.map(stopOne));
      if (typeof output === 'number') closeSync(output);
    },
  };
  try {
    await Promise.all(names.map(start));
  } catch (error) {
    await processes.stop();
    throw error;
  }
  return processes;
}
