import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { useTempDir } from '../helpers/temp-dir';

/** A bound on waits that should end in milliseconds; reaching it is the failure being tested. */
const STOP_BOUND_MS = 20_000;

interface Up {
  wrapper: ChildProcess;
  /** The process that serves the stack (bin/ferry.js's child), from `.ferry/stack.json`. */
  childPid: number;
  ports: number[];
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Wrapper pids started by this file, killed (with their group) after each test. */
const spawned: number[] = [];

const FERRY_BIN = join(__dirname, '..', '..', 'bin', 'ferry.js');

/**
 * `node bin/ferry.js up` in its own process group (so a test can send a Ctrl-C to the group);
 * `viaShell` puts a `sh -c` in between, as npx does, and `wrapper` is then that shell.
 */
async function startUp(cwd: string, viaShell = false): Promise<Up> {
  // `; exit $?` keeps the shell from exec-ing node in its place.
  const [command, args] = viaShell
    ? ['sh', ['-c', `"${process.execPath}" "${FERRY_BIN}" up; exit $?`]]
    : [process.execPath, [FERRY_BIN, 'up']];
  const wrapper = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(wrapper.pid!);
  let out = '';
  wrapper.stdout?.on('data', (chunk) => (out += chunk));
  wrapper.stderr?.on('data', (chunk) => (out += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    wrapper.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const check = () => (out.includes('Ctrl-C stops it.') ? resolve() : undefined);
    wrapper.stdout?.on('data', check);
    void exited.then(() => reject(new Error(`ferry up exited before it was up:\n${out}`)));
  });
  const stack = JSON.parse(readFileSync(join(cwd, '.ferry', 'stack.json'), 'utf8')) as {
    pid: number;
    env: Record<string, string>;
  };
  const hosts = [...Object.values(stack.env), out].join('\n');
  const ports = [...hosts.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
  return { wrapper, childPid: stack.pid, ports: [...new Set(ports)], stdout: () => out, exited };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function exitWithin(up: Up): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`bin/ferry.js still running ${STOP_BOUND_MS} ms after the signal:\n${up.stdout()}`)),
      STOP_BOUND_MS,
    );
  });
  try {
    return await Promise.race([up.exited, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** `ferry up` started through bin/ferry.js stops when its wrapper is signalled, as when Ctrl-C'd. */
describe('bin/ferry.js passes stop signals on to ferry up', () => {
  const dir = useTempDir('ferry-bin-signals-');
  let up: Up | undefined;

  afterEach(() => {
    // Whatever a failing test left: each wrapper's group, then the child if it outlived it.
    for (const pid of [...spawned.splice(0).map((p) => -p), up?.childPid ?? 0])
      if (pid !== 0 && alive(Math.abs(pid))) process.kill(pid, 'SIGKILL');
    up = undefined;
  });

  it.each([
    ['kill -TERM <wrapper pid>', 'SIGTERM', 'wrapper'],
    ['kill -INT <wrapper pid>', 'SIGINT', 'wrapper'],
    ['Ctrl-C (SIGINT to the whole process group: the child gets it twice)', 'SIGINT', 'group'],
  ] as const)(
    '%s: the stack stops cleanly, its ports are released and the wrapper exits 0',
    async (_label, signal, to) => {
      up = await startUp(dir());
      expect(alive(up.childPid)).toBe(true);
      expect(up.ports.length).toBeGreaterThanOrEqual(12);
      // The local template starts empty: the staged mobile workflow's parameter is created for it.
      expect(up.stdout()).toContain(
        `Remote Config (local): created flowers_model = "flowers_staged" for flowers-mobile-staged's staged rollouts`,
      );
      process.kill(to === 'group' ? -up.wrapper.pid! : up.wrapper.pid!, signal);
      expect(await exitWithin(up)).toEqual({ code: 0, signal: null });
      expect(up.stdout()).toMatch(/stopped\.\n$/);
      expect(alive(up.childPid)).toBe(false);
      expect(existsSync(join(dir(), '.ferry', 'stack.json'))).toBe(false);
      expect(await Promise.all(up.ports.map(refused))).toEqual(up.ports.map(() => true));
    },
    90_000,
  );

  it('stops the stack when its parent dies without passing the signal on (npx runs it under sh -c)', async () => {
    up = await startUp(dir(), true);
    process.kill(up.wrapper.pid!, 'SIGTERM'); // the shell only: it dies, bin/ferry.js is re-parented
    await exitWithin(up);
    const deadline = Date.now() + STOP_BOUND_MS;
    while (alive(up.childPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(up.childPid)).toBe(false);
    expect(existsSync(join(dir(), '.ferry', 'stack.json'))).toBe(false);
    expect(await Promise.all(up.ports.map(refused))).toEqual(up.ports.map(() => true));
  }, 90_000);

  it('exits by the same signal when its child is killed', async () => {
    up = await startUp(dir());
    process.kill(up.childPid, 'SIGKILL');
    expect(await exitWithin(up)).toEqual({ code: null, signal: 'SIGKILL' });
  }, 90_000);
});
