import { runCli } from '../../../../cli/run-cli';
import { captureIo } from '../../../helpers/capture-io';

/** Mistakes in `ferry retry`'s arguments are refused before any run is read. */
describe('ferry retry arguments', () => {
  it.each([
    [[], 'ferry retry: takes 1 argument(s) (<run>), got 0'],
    [['a', 'b'], 'ferry retry: takes 1 argument(s) (<run>), got 2'],
    [['run-1', '--forse'], 'ferry retry: unknown flag --forse (did you mean --force?)'],
    [['run-1', '--reason'], 'ferry retry: --reason needs a value: --reason TEXT'],
    [['run-1', '--force=yes'], 'ferry retry: --force takes no value (got "yes")'],
  ])('%j', async (args, message) => {
    const io = captureIo();
    expect(await runCli(['retry', ...args], io)).toBe(2);
    expect(io.stderr[0]).toMatch(
      new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s\\S]*usage: ferry retry <run>`),
    );
  });
});
