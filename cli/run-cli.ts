import { commandUsage, synopsis, UsageError, wantsHelp } from './command-spec';
import { COMMAND_SPECS, type CommandName } from './command-specs';
import { processIo, type CliIo, type Command } from './io';

/** Commands load lazily so `ferry inspect` never pays for the emulators or the runtimes it does not use. */
const COMMANDS: Record<CommandName, () => Promise<Command>> = {
  inspect: async () => (await import('./commands/inspect')).inspect,
  predict: async () => (await import('./commands/predict')).predict,
  demo: async () => (await import('./commands/demo')).demo,
  up: async () => (await import('./commands/up')).up,
  drop: async () => (await import('./commands/drop')).drop,
  status: async () => (await import('./commands/status')).status,
  replay: async () => (await import('./commands/replay')).replay,
  approve: async () => (await import('./commands/approve')).approve,
  reject: async () => (await import('./commands/approve')).reject,
  abort: async () => (await import('./commands/abort')).abort,
  retry: async () => (await import('./commands/retry')).retry,
  rollback: async () => (await import('./commands/rollback')).rollback,
  ui: async () => (await import('./commands/ui')).ui,
  plan: async () => (await import('./commands/plan')).plan,
  workflows: async () => (await import('./commands/workflows')).workflows,
  examples: async () => (await import('./commands/examples')).examples,
};

function usage(): string {
  const lines = Object.values(COMMAND_SPECS).flatMap((spec) => [`  ${synopsis(spec)}`, `      ${spec.summary}`]);
  return ['usage:', ...lines, '', 'ferry <command> --help: its flags and their defaults'].join('\n');
}

export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    io.err(`ferry: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  const spec = COMMAND_SPECS[name as CommandName];
  if (wantsHelp(rest)) {
    io.out(commandUsage(spec));
    return 0;
  }
  try {
    return await (
      await COMMANDS[name as CommandName]()
    )(rest, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${error.message}\n\n${commandUsage(error.command)}`);
    return 2;
  }
}
