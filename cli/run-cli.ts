import { processIo, type CliIo, type Command } from './io';

/** Commands load lazily so `ferry inspect` never pays for the emulators or the runtimes it does not use. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  inspect: {
    summary: 'inspect <path> [--json]           what a SavedModel folder or .tflite file holds',
    load: async () => (await import('./commands/inspect')).inspect,
  },
  predict: {
    summary: 'predict <path> --instances <file|json> [--signature name]   run it locally',
    load: async () => (await import('./commands/predict')).predict,
  },
  demo: {
    summary: 'demo [--pubsub HOST:PORT]             the local demo (npm start)',
    load: async () => (await import('./commands/demo')).demo,
  },
  up: {
    summary: 'up [--data-dir .ferry/data] [--pubsub HOST:PORT]   the local cloud and the functions until Ctrl-C',
    load: async () => (await import('./commands/up')).up,
  },
  drop: {
    summary: 'drop <artifact> <bucket path>          upload into the artifacts bucket (starts a run)',
    load: async () => (await import('./commands/drop')).drop,
  },
  status: {
    summary: 'status [run] [--json]                 run timelines and dead letters',
    load: async () => (await import('./commands/status')).status,
  },
  plan: {
    summary: 'plan <artifact> <bucket path>          what would happen, changing nothing',
    load: async () => (await import('./commands/plan')).plan,
  },
  workflows: {
    summary: 'workflows check [dir]                 validate workflow files',
    load: async () => (await import('./commands/workflows')).workflows,
  },
  examples: {
    summary: 'examples <dir> [--a 2 --b 1 --shards 1]   write example artifacts',
    load: async () => (await import('./commands/examples')).examples,
  },
};

function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ferry ${c.summary}`);
  return ['usage:', ...lines].join('\n');
}

export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`ferry: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  return (await command.load())(rest, io);
}
