import { commandUsage, parseCommandArgs, UsageError, wantsHelp, type CommandSpec } from '../../../cli/command-spec';
import { COMMAND_SPECS } from '../../../cli/command-specs';

const spec: CommandSpec = {
  name: 'demo-cmd',
  args: '<path>',
  positionals: { min: 1, max: 1 },
  summary: 'a command for the tests',
  flags: {
    json: { type: 'boolean', help: 'as JSON' },
    'deploy-minutes': { type: 'number', value: 'N', default: '30', help: 'minutes' },
    pubsub: { type: 'string', value: 'HOST:PORT', otherwise: "ferry's own", help: 'an emulator' },
    instances: { type: 'string', value: 'FILE', help: 'instances', required: true },
  },
};

function usageError(args: string[]): string {
  try {
    parseCommandArgs(spec, args);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`accepted ${args.join(' ')}`);
}

describe('parseCommandArgs', () => {
  it('fills in the defaults the usage shows, and reads what was given', () => {
    const parsed = parseCommandArgs(spec, ['p', '--instances', 'i.json']);
    expect(parsed.positionals).toEqual(['p']);
    expect(parsed.number('deploy-minutes')).toBe(30);
    expect(parsed.flag('json')).toBe(false);
    expect(parsed.string('pubsub')).toBeUndefined();
    const given = parseCommandArgs(spec, ['--json', '--deploy-minutes=2', '--pubsub', 'h:1', '--instances=x', 'p']);
    expect([given.flag('json'), given.number('deploy-minutes'), given.string('pubsub')]).toEqual([true, 2, 'h:1']);
  });

  it('takes a negative number as a value', () => {
    expect(parseCommandArgs(spec, ['p', '--instances', 'i', '--deploy-minutes', '-1']).number('deploy-minutes')).toBe(
      -1,
    );
  });

  it.each([
    [['p', '--instances', 'i', '--bogus'], 'ferry demo-cmd: unknown flag --bogus'],
    [['p', '--instances', 'i', '-x'], 'ferry demo-cmd: unknown flag -x'],
    [
      ['p', '--instances', 'i', '--deploy-minute', '3'],
      'unknown flag --deploy-minute (did you mean --deploy-minutes?)',
    ],
    [['p', '--instances'], '--instances needs a value: --instances FILE'],
    [['p', '--instances', '--json'], '--instances needs a value: --instances FILE'],
    [['p'], 'needs --instances FILE: instances'],
    [['p', '--instances', 'i', '--json=yes'], '--json takes no value (got "yes")'],
    [['p', '--instances', 'i', '--deploy-minutes', 'soon'], '--deploy-minutes must be a number, got "soon"'],
    [['p', '--instances', 'i', '--deploy-minutes='], '--deploy-minutes must be a number, got ""'],
    [['--instances', 'i'], 'takes 1 argument(s) (<path>), got 0'],
    [['p', 'q', '--instances', 'i'], 'takes 1 argument(s) (<path>), got 2'],
  ])('%j is refused: %s', (args, message) => {
    expect(usageError(args)).toContain(message);
  });
});

describe('wantsHelp', () => {
  it.each([
    [['--help'], true],
    [['x', '-h'], true],
    [['--', '--help'], false],
    [['x'], false],
  ])('%j → %s', (args, expected) => expect(wantsHelp(args)).toBe(expected));
});

describe('commandUsage', () => {
  it.each(Object.values(COMMAND_SPECS).map((s) => [s.name, s as CommandSpec]))(
    'ferry %s --help lists every flag with its default',
    (_name, command) => {
      const text = commandUsage(command);
      expect(text).toMatch(new RegExp(`^usage: ferry ${command.name}`));
      for (const [name, flag] of Object.entries(command.flags)) {
        const line = text.split('\n').find((l) => l.trimStart().startsWith(`--${name}`));
        expect(line).toBeDefined();
        const fallback = flag.default ?? flag.otherwise;
        if (fallback !== undefined) expect(line).toContain(`(default: ${fallback})`);
      }
    },
  );

  it('says a number flag defaults to what the parser applies', () => {
    expect(commandUsage(spec)).toMatch(/--deploy-minutes N +minutes \(default: 30\)/);
  });
});
