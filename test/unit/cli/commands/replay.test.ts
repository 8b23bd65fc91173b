import { runCli } from '../../../../cli/run-cli';
import { captureIo } from '../../../helpers/capture-io';

/** Mistakes in `ferry replay`'s arguments are refused before any dead letter is touched. */
describe('ferry replay arguments', () => {
  it.each([
    [['1234', '--all'], 'ferry replay: give dead letter ids or --all, not both'],
    [['--yes'], 'ferry replay: --yes confirms --all; named ids are replayed without it'],
    [['1234', '--yes'], 'ferry replay: --yes confirms --all; named ids are replayed without it'],
    [['--al'], 'ferry replay: unknown flag --al (did you mean --all?)'],
  ])('%j', async (args, message) => {
    const io = captureIo();
    expect(await runCli(['replay', ...args], io)).toBe(2);
    expect(io.stderr[0]).toMatch(
      new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n\nusage: ferry replay`),
    );
  });
});
