import { runCli } from '../../../cli/run-cli';
import { COMMAND_SPECS } from '../../../cli/command-specs';
import { captureIo } from '../../helpers/capture-io';

/** The CLI's grammar errors and help, answered before any command does I/O. */
describe('runCli', () => {
  it.each(Object.keys(COMMAND_SPECS))('ferry %s --help prints its usage and exits 0', async (name) => {
    const io = captureIo();
    expect(await runCli([name, '--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(new RegExp(`^usage: ferry ${name}[\\s\\S]*flags:[\\s\\S]*--help`));
    expect(io.stderr).toEqual([]);
  });

  it('names an unknown flag in its own words, with the usage, exit 2', async () => {
    const io = captureIo();
    expect(await runCli(['up', '--data-dri', 'x'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(
      /^ferry up: unknown flag --data-dri \(did you mean --data-dir\?\)\n\nusage: ferry up .*--data-dir DIR/,
    );
  });

  it('lists every command in ferry --help, and says where the flags are', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    const text = io.stdout.join('\n');
    for (const name of Object.keys(COMMAND_SPECS)) expect(text).toContain(`ferry ${name}`);
    expect(text).toContain('ferry <command> --help');
  });
});
