import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The layering of `functions/` (CONTRIBUTING.md) is enforced by `boundaries/dependencies` in
 * eslint.config.mjs. A rule whose imports never resolve never fires, so each case lints a small
 * virtual file placed in a real folder and importing real ferry modules: the forbidden import must
 * be reported with the layer's message, the permitted one must not.
 *
 * ESLint loads its ESM config with a dynamic import, which Jest's module sandbox refuses, so the
 * ESLint Node API runs in one child `node` for all the cases (and once more for the real tree).
 */
const ROOT = join(__dirname, '..', '..', '..');
const RULE = 'boundaries/dependencies';
const SEE = '(layering: see CONTRIBUTING.md)';

type Job = { filePath: string; code: string } | { lintFiles: string[] };
type Reported = { filePath: string; line: number; ruleId: string | null; message: string; fatal?: boolean };

const LINT = `
import { ESLint } from 'eslint';
const jobs = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const job of jobs) {
  const results = job.lintFiles ? await eslint.lintFiles(job.lintFiles) : await eslint.lintText(job.code, { filePath: job.filePath });
  out.push(results.flatMap((r) => r.messages.map(({ line, ruleId, message, fatal }) => ({ filePath: r.filePath, line, ruleId, message, fatal }))));
}
process.stdout.write(JSON.stringify(out));
`.replace("require('node:fs')", "(await import('node:fs'))");

/** Lints every job with the repository's ESLint config; one list of messages per job. */
function lint(jobs: Job[]): Reported[][] {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', LINT], {
    cwd: ROOT,
    input: JSON.stringify(jobs),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (run.status !== 0) throw new Error(`eslint (node -e) exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Reported[][];
}

const virtual = (file: string, code: string): Job => ({ filePath: join(ROOT, file), code });
const importOf = (source: string) => `import * as m from '${source}';\nexport { m };\n`;

let results: Map<Job, Reported[]>;

function layeringMessages(job: Job): string[] {
  const messages = results.get(job);
  if (!messages) throw new Error(`job not linted: ${JSON.stringify(job)}`);
  const fatal = messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`${JSON.stringify(job)}: ${fatal.map((m) => m.message).join('; ')}`);
  return messages.filter((m) => m.ruleId === RULE).map((m) => `${m.message}`);
}

type Case = { file: string; source: string; message: string };

const forbidden: Case[] = [
  { file: 'functions/core/x.ts', source: '../artifacts/artifact-files', message: 'core imports nothing' },
  { file: 'functions/core/workflow/x.ts', source: '../../../workflows/flowers.yaml', message: 'core imports nothing' },
  { file: 'functions/core/x.ts', source: '../pipeline/ports', message: 'core imports nothing' },
  { file: 'functions/artifacts/x.ts', source: '../core/errors', message: 'artifacts imports nothing' },
  { file: 'functions/artifacts/x.ts', source: '../runtime/instances', message: 'artifacts imports nothing' },
  { file: 'functions/runtime/x.ts', source: '../pipeline/ports', message: 'runtime imports only artifacts and core' },
  { file: 'functions/runtime/x.ts', source: '../adapters/tflite-runner', message: 'runtime imports only' },
  { file: 'functions/pipeline/x.ts', source: '../adapters/tflite-runner', message: 'pipeline imports only core' },
  { file: 'functions/pipeline/stages/x.ts', source: '../../entry/config', message: 'pipeline imports only core' },
  {
    file: 'functions/adapters/x.ts',
    source: '../pipeline/stages/register-model',
    message: 'adapters import only pipeline/ports.ts',
  },
  { file: 'functions/adapters/vertex/x.ts', source: '../../pipeline/run-stage', message: 'adapters import only' },
  { file: 'functions/adapters/x.ts', source: '../entry/config', message: 'adapters import only' },
  { file: 'functions/entry/x.ts', source: '../../emulators/random', message: 'entry wires the layers below it' },
  { file: 'functions/entry/x.ts', source: '../../cli/io', message: 'entry wires the layers below it' },
  { file: 'functions/index.ts', source: './core/errors', message: 'functions/index.ts only registers' },
  { file: 'functions/core/x.ts', source: '../../emulators/random', message: 'core imports nothing' },
  { file: 'functions/adapters/x.ts', source: '../../cli/io', message: 'adapters import only' },
  { file: 'functions/pipeline/x.ts', source: '../../test/helpers/memory-ports', message: 'pipeline imports only' },
];

const permitted: Omit<Case, 'message'>[] = [
  { file: 'functions/core/x.ts', source: './errors' },
  { file: 'functions/core/workflow/x.ts', source: '../run/run-id' },
  { file: 'functions/artifacts/x.ts', source: './checkpoint' },
  { file: 'functions/runtime/x.ts', source: '../artifacts/artifact-files' },
  { file: 'functions/runtime/x.ts', source: '../core/errors' },
  { file: 'functions/pipeline/stages/x.ts', source: '../ports' },
  { file: 'functions/pipeline/stages/x.ts', source: '../../runtime/instances' },
  { file: 'functions/pipeline/x.ts', source: '../core/run/run-record' },
  { file: 'functions/adapters/x.ts', source: '../pipeline/ports' },
  { file: 'functions/adapters/x.ts', source: '../pipeline/messages' },
  { file: 'functions/adapters/x.ts', source: '../runtime/instances' },
  { file: 'functions/adapters/vertex/x.ts', source: '../../artifacts/artifact-files' },
  { file: 'functions/entry/x.ts', source: '../adapters/tflite-runner' },
  { file: 'functions/entry/x.ts', source: '../pipeline/stages/register-model' },
  { file: 'functions/index.ts', source: './entry/config' },
  { file: 'emulators/x.ts', source: '../functions/pipeline/stages/register-model' },
  { file: 'cli/x.ts', source: '../emulators/random' },
];

const forbiddenJobs = forbidden.map((c) => ({ ...c, job: virtual(c.file, importOf(c.source)) }));
const permittedJobs = permitted.map((c) => ({ ...c, job: virtual(c.file, importOf(c.source)) }));
const kindJobs = [
  ['a type-only import', `import type { Stage } from '../pipeline/run-stage';\nexport type { Stage };\n`],
  ['a re-export', `export * from '../pipeline/stages/register-model';\n`],
  ['a dynamic import', `export const load = () => import('../pipeline/stages/register-model');\n`],
  ['a require', `export const m = require('../pipeline/stages/register-model');\n`],
].map(([kind, code]) => ({ kind, job: virtual('functions/adapters/x.ts', code) }));
const treeJob: Job = { lintFiles: ['functions'] };

beforeAll(() => {
  const jobs = [...forbiddenJobs, ...permittedJobs, ...kindJobs].map(({ job }) => job).concat(treeJob);
  const linted = lint(jobs);
  results = new Map(jobs.map((job, i) => [job, linted[i]]));
}, 120_000);

describe('layering of functions/ (eslint boundaries/dependencies)', () => {
  it.each(forbiddenJobs)('$file may not import $source', ({ job, message }) => {
    const messages = layeringMessages(job);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(message);
    expect(messages[0]).toContain(SEE);
  });

  it.each(permittedJobs)('$file may import $source', ({ job }) => {
    expect(layeringMessages(job)).toEqual([]);
  });

  it.each(kindJobs)('reports $kind across a layer too', ({ job }) => {
    expect(layeringMessages(job)).toEqual([expect.stringContaining('adapters import only')]);
  });

  it('reports nothing on the tree as committed', () => {
    const found = (results.get(treeJob) ?? [])
      .filter((m) => m.ruleId === RULE)
      .map((m) => `${m.filePath}:${m.line} ${m.message}`);
    expect(results.has(treeJob)).toBe(true);
    expect(found).toEqual([]);
  });
});
