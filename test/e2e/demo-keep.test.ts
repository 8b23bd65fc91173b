import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDir } from '../helpers/temp-dir';

const FERRY_BIN = join(__dirname, '..', '..', 'bin', 'ferry.js');

/**
 * `ferry demo --keep` (for `ferry ui` in another terminal): after the demo its stack stays up,
 * found through `.ferry/stack.json` by the other commands, until Ctrl-C.
 */
describe('ferry demo --keep', () => {
  const dir = useTempDir('ferry-demo-keep-');

  it('leaves the stack serving with the demo runs, and stops on Ctrl-C', async () => {
    const demo = spawn(process.execPath, [FERRY_BIN, 'demo', '--keep'], {
      cwd: dir(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    demo.stdout?.on('data', (chunk) => (out += chunk));
    demo.stderr?.on('data', (chunk) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        demo.stdout?.on('data', () => (out.includes('Ctrl-C stops it.') ? resolve() : undefined));
        void exited.then(() => reject(new Error(`the demo exited instead of staying up:\n${out}`)));
      });
      expect(out).toContain('all runs ended as expected.');
      const stackFile = join(dir(), '.ferry', 'stack.json');
      expect(existsSync(stackFile)).toBe(true);
      const status = spawnSync(process.execPath, [FERRY_BIN, 'status', '--json'], {
        cwd: dir(),
        encoding: 'utf8',
        env: { ...process.env, FERRY_STACK_FILE: stackFile },
      });
      expect(status.status).toBe(0);
      const runs = (JSON.parse(status.stdout) as { runs: Array<{ state: string }> }).runs.map((r) => r.state);
      expect(runs).toHaveLength(9);
      process.kill(-demo.pid!, 'SIGINT');
      expect(await exited).toBe(0);
      expect(existsSync(stackFile)).toBe(false);
    } finally {
      try {
        process.kill(-demo.pid!, 'SIGKILL');
      } catch {
        // ended already
      }
    }
  }, 120_000);
});
