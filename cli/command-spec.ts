import { parseArgs } from 'node:util';
import { nearest } from '../functions/core/text/edit-distance';

/** One flag of a command, as its usage shows it and as the parser checks it. */
export interface FlagSpec {
  type: 'string' | 'number' | 'boolean';
  /** What the value stands for in the usage: `HOST:PORT`, `N`, `DIR`. */
  value?: string;
  /** The value applied when the flag is absent: the parser fills it in, so the usage cannot lie. */
  default?: string;
  /** What happens when the flag is absent, for flags with no single default value. */
  otherwise?: string;
  /** A flag the command cannot do without (`predict --instances`). */
  required?: boolean;
  help: string;
}

/** A command's grammar: written once, read by the parser, `ferry <command> --help` and `ferry --help`. */
export interface CommandSpec {
  name: string;
  /** Positionals as the usage shows them: `<artifact> <bucket path>`, `[run]`. */
  args: string;
  positionals: { min: number; max: number };
  summary: string;
  flags: Record<string, FlagSpec>;
}

/** Wrong arguments: run-cli prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {
  constructor(
    readonly command: CommandSpec,
    message: string,
  ) {
    super(`ferry ${command.name}: ${message}`);
  }
}

export interface ParsedArgs {
  positionals: string[];
  flag(name: string): boolean;
  string(name: string): string | undefined;
  /** Number flags all have a default (checked when parsing), so there is always a value. */
  number(name: string): number;
}

/** `-h` or `--help` anywhere before a `--`. */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Parses with node:util's parseArgs, non-strict so that each mistake is reported in ferry's words
 * (the flag named, the nearest known one suggested) rather than in Node's.
 */
export function parseCommandArgs(spec: CommandSpec, args: string[]): ParsedArgs {
  const options = Object.fromEntries(
    Object.entries(spec.flags).map(([name, f]) => [name, { type: f.type === 'boolean' ? 'boolean' : 'string' }]),
  ) as Record<string, { type: 'string' | 'boolean' }>;
  const { values, positionals, tokens } = parseArgs({
    args,
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const flag = spec.flags[token.name];
    if (!flag) {
      const guess = nearest(token.name, Object.keys(spec.flags), 3);
      throw new UsageError(spec, `unknown flag ${token.rawName}${guess ? ` (did you mean --${guess}?)` : ''}`);
    }
    // Non-strict parseArgs takes the next argument as the value even when it is another flag.
    if (flag.type !== 'boolean' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))))
      throw new UsageError(spec, `${token.rawName} needs a value: ${token.rawName} ${flag.value ?? 'VALUE'}`);
    if (flag.type === 'boolean' && token.inlineValue)
      throw new UsageError(spec, `${token.rawName} takes no value (got "${token.value}")`);
  }
  for (const [name, flag] of Object.entries(spec.flags))
    if (flag.required && values[name] === undefined)
      throw new UsageError(spec, `needs --${name} ${flag.value ?? 'VALUE'}: ${flag.help}`);
  const { min, max } = spec.positionals;
  if (positionals.length < min || positionals.length > max) {
    const wanted = min === max ? `${min}` : `${min} to ${max}`;
    throw new UsageError(spec, `takes ${wanted} argument(s) (${spec.args}), got ${positionals.length}`);
  }
  const numbers: Record<string, number> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    if (flag.type !== 'number') continue;
    const text = (values[name] as string | undefined) ?? flag.default;
    const parsed = Number(text);
    if (text === undefined || text.trim() === '' || !Number.isFinite(parsed))
      throw new UsageError(spec, `--${name} must be a number, got "${text ?? ''}"`);
    numbers[name] = parsed;
  }
  const read = (name: string, type: FlagSpec['type']): string | boolean | undefined => {
    const flag = spec.flags[name];
    if (flag?.type !== type) throw new Error(`ferry ${spec.name} has no ${type} flag --${name}`);
    return values[name] ?? flag.default;
  };
  return {
    positionals,
    flag: (name) => read(name, 'boolean') === true,
    string: (name) => read(name, 'string') as string | undefined,
    number: (name) => {
      read(name, 'number');
      return numbers[name];
    },
  };
}

/** `ferry <command> --help`: the synopsis, then every flag with its default. */
export function commandUsage(spec: CommandSpec): string {
  const flags = Object.entries(spec.flags).map(([name, f]) => {
    const left = `--${name}${f.value ? ` ${f.value}` : ''}`;
    const fallback = f.default ?? f.otherwise;
    return `  ${left.padEnd(22)} ${f.help}${fallback === undefined ? '' : ` (default: ${fallback})`}`;
  });
  return [
    `usage: ${synopsis(spec)}`,
    `  ${spec.summary}`,
    '',
    'flags:',
    ...flags,
    `  ${'-h, --help'.padEnd(22)} this help`,
  ].join('\n');
}

/** `ferry up [--data-dir DIR] [--pubsub HOST:PORT]`: one line per command in `ferry --help`. */
export function synopsis(spec: CommandSpec): string {
  const flags = Object.entries(spec.flags).map(([name, f]) => {
    const text = `--${name}${f.value ? ` ${f.value}` : ''}`;
    return f.required ? text : `[${text}]`;
  });
  return ['ferry', spec.name, spec.args, ...flags].filter(Boolean).join(' ');
}

/**
 * A text flag (`--reason`) that, when given, must say something: `--reason ""` would record an
 * empty why on the run. Undefined when absent.
 */
export function textFlag(spec: CommandSpec, parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.string(name);
  if (value !== undefined && value.trim() === '') throw new UsageError(spec, `--${name} needs some text`);
  return value;
}
