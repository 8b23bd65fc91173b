import { runCli } from '../../../../cli/run-cli';
import { captureIo } from '../../../helpers/capture-io';

/** `ferry status` checks its filter flags before it reads anything (no stack needed to refuse them). */
describe('ferry status arguments', () => {
  it.each([
    [
      ['--state', 'done'],
      /^ferry status: --state "done": not a run state; use one of checked, .*, failed, aborted, rolled-back\n/,
    ],
    [['--since', '3 weeks'], /^ferry status: --since "3 weeks": not a duration or an ISO time; use e\.g\. --since 30m/],
    [['--since'], /^ferry status: --since needs a value: --since DURATION\|ISO/],
    [['--watch', '--json'], /^ferry status: --watch redraws text; drop --json/],
  ])('%j', async (args, message) => {
    const io = captureIo();
    expect(await runCli(['status', ...args], io)).toBe(2);
    expect(io.stderr[0]).toMatch(message);
    expect(io.stderr[0]).toContain('usage: ferry status');
  });
});
