import { spawnSync } from 'node:child_process';
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
});
