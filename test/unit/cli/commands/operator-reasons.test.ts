import { runCli } from '../../../../cli/run-cli';
import { captureIo } from '../../../helpers/capture-io';

/** A reason given empty would put an empty "why" on the run: refused before anything is opened. */
describe("the operator's verbs and an empty --reason", () => {
  it.each([
    ['approve', 'run-1'],
    ['reject', 'run-1'],
    ['abort', 'run-1'],
    ['retry', 'run-1'],
    ['rollback', 'flowers'],
  ])('ferry %s %s --reason "  " is a usage error', async (verb, target) => {
    const io = captureIo();
    expect(await runCli([verb, target, '--reason', '  '], io)).toBe(2);
    expect(io.stderr[0]).toMatch(new RegExp(`^ferry ${verb}: --reason needs some text\\n`));
    expect(io.stderr[0]).toContain(`usage: ferry ${verb}`);
  });
});
