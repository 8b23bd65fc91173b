import { runCli } from '../../run-cli';
import type { CliIo } from '../../io';

/** The operator's verbs the page may run; anything else is refused before any code runs. */
export const ACTION_VERBS = ['approve', 'reject', 'abort', 'retry', 'rollback', 'replay'] as const;

export interface ActionReply {
  status: number;
  body: { ok: boolean; exitCode: number; out: string[]; err: string[] } | { error: string };
}

/**
 * `POST /api/actions` `{"args": ["approve", "<run>", "--reason", "…"]}`: the CLI's own command
 * (runCli), so a button does exactly what the verb typed in a terminal does, with the server's
 * `--project` appended when it has one. Exit 0 → 200, 1 (refused) → 409, 2 (usage) → 400.
 */
export async function runAction(
  body: unknown,
  project: string | undefined,
  run: (args: string[], io: CliIo) => Promise<number> = runCli,
): Promise<ActionReply> {
  const args = (body as { args?: unknown } | null)?.args;
  if (!Array.isArray(args) || args.length === 0 || !args.every((a) => typeof a === 'string'))
    return { status: 400, body: { error: 'the body must be {"args": ["<verb>", "<run>", ...]}, strings only' } };
  const [verb] = args as string[];
  if (!(ACTION_VERBS as readonly string[]).includes(verb))
    return { status: 400, body: { error: `"${verb}" is not an action here: one of ${ACTION_VERBS.join(', ')}` } };
  if (args.includes('--project'))
    return { status: 400, body: { error: 'the server acts on its own project: leave --project out' } };
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (text) => void out.push(text), err: (text) => void err.push(text) };
  let exitCode: number;
  try {
    exitCode = await run(project ? [...(args as string[]), '--project', project] : (args as string[]), io);
  } catch (error) {
    err.push(error instanceof Error ? error.message : String(error));
    return { status: 500, body: { ok: false, exitCode: 1, out, err } };
  }
  const status = exitCode === 0 ? 200 : exitCode === 2 ? 400 : 409;
  return { status, body: { ok: exitCode === 0, exitCode, out, err } };
}
