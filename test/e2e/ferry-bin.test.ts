import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDir } from '../helpers/temp-dir';

/** The installed `ferry` command (bin/ferry.js) runs the TypeScript CLI and passes exit codes on. */
describe('bin/ferry.js', () => {
  const dir = useTempDir();
  const ferry = (...args: string[]) => ferryIn(undefined, ...args);
  const ferryIn = (cwd: string | undefined, ...args: string[]) =>
    spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'ferry.js'), ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      cwd,
    });

  it('runs a command that loads lazily and exits 0', () => {
    const result = ferry('examples', dir());
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/wrote y = 0\.5\*x \+ 2/);
    expect(result.status).toBe(0);
  });

  it('runs from a folder outside the repository (tsx is found from the command, not the folder)', () => {
    const result = ferryIn(dir(), 'examples', 'ex');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it("passes a failing command's exit code and message on", () => {
    const result = ferry('inspect', join(dir(), 'nope'));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/nope: no such file or folder/);
  });

  it('answers ferry up --help with its flags and defaults, starting nothing', () => {
    const result = ferry('up', '--help');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^usage: ferry up [\s\S]*--deploy-minutes N .*\(default: 30\)/);
    expect(result.status).toBe(0);
  });

  it('names an unknown flag in its own words and exits 2', () => {
    const result = ferry('status', '--jsno');
    expect(result.stderr).toMatch(/^ferry status: unknown flag --jsno \(did you mean --json\?\)/);
    expect(result.stderr).not.toMatch(/ERR_PARSE_ARGS|at .*\.ts:\d+/);
    expect(result.status).toBe(2);
  });

  it.each([
    ['--help', (): string[] => ['--help']],
    ['examples <dir>', (): string[] => ['examples', join(dir(), 'ex')]],
  ])('writes into a closed pipe (ferry %s | head) without a stack trace, and finishes', async (_label, args) => {
    const child = spawn(process.execPath, [join(__dirname, '..', '..', 'bin', 'ferry.js'), ...args()], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone before the first line, as after `| head -0`
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    if (args()[0] === 'examples') expect(existsSync(join(dir(), 'ex', 'golden.jsonl'))).toBe(true);
  });
});
