import { runCli } from '../../cli/run-cli';
import { captureIo } from './capture-io';

/** `ferry <args>` in this process, as a person types it: exit code and what it printed. */
export async function ferryCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await runCli(args, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}
