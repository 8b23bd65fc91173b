import { runAction } from '../../../../cli/ui/server/actions';
import type { CliIo } from '../../../../cli/io';

/** A stand-in for runCli: records the argv it got and answers with `code`. */
const fakeCli = (code: number) => {
  const calls: string[][] = [];
  const run = async (args: string[], io: CliIo) => {
    calls.push(args);
    io.out(`ran ${args.join(' ')}`);
    if (code !== 0) io.err('refused');
    return code;
  };
  return { calls, run };
};

describe('runAction', () => {
  it('runs the verb through the CLI, appending the server project, and maps exit codes to HTTP', async () => {
    const cli = fakeCli(0);
    expect(await runAction({ args: ['approve', 'r1', '--reason', 'ok'] }, 'proj', cli.run)).toEqual({
      status: 200,
      body: { ok: true, exitCode: 0, out: ['ran approve r1 --reason ok --project proj'], err: [] },
    });
    expect(cli.calls).toEqual([['approve', 'r1', '--reason', 'ok', '--project', 'proj']]);
    expect((await runAction({ args: ['abort', 'r1'] }, undefined, fakeCli(1).run)).status).toBe(409);
    expect((await runAction({ args: ['retry', 'r1'] }, undefined, fakeCli(2).run)).status).toBe(400);
  });

  it.each([
    [{ args: ['status'] }, /"status" is not an action here/],
    [{ args: ['drop', 'x', 'y'] }, /one of approve, reject, abort, retry, rollback, replay/],
    [{ args: [] }, /strings only/],
    [{ args: ['approve', 3] }, /strings only/],
    [null, /strings only/],
    [{ args: ['approve', 'r1', '--project', 'other'] }, /leave --project out/],
  ])('refuses %j with 400 before running anything', async (body, message) => {
    const cli = fakeCli(0);
    const reply = await runAction(body, undefined, cli.run);
    expect(reply.status).toBe(400);
    expect((reply.body as { error: string }).error).toMatch(message);
    expect(cli.calls).toEqual([]);
  });
});
