import { runCli } from '../../../../cli/run-cli';
import { captureIo } from '../../../helpers/capture-io';

describe('ferry ui flags', () => {
  it.each(['0', '65536', '80.5', 'http'])('refuses --port %s before reading anything (exit 2)', async (port) => {
    const io = captureIo();
    expect(await runCli(['ui', '--port', port], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/--port must be a (whole )?number/);
    expect(io.stderr.join('\n')).toContain('usage: ferry ui [--port N] [--project PROJECT]');
  });

  it('takes no arguments', async () => {
    const io = captureIo();
    expect(await runCli(['ui', 'extra'], io)).toBe(2);
  });
});
