import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflows } from '../../../../cli/commands/workflows';
import { captureIo } from '../../../helpers/capture-io';
import { useTempDir } from '../../../helpers/temp-dir';

const base = (validation: string, rollout = '') =>
  [
    'name: demo',
    'match: models/demo/{version}/',
    'artifact: savedmodel',
    'model: { displayName: demo }',
    'endpoint: { displayName: demo }',
    `validation: ${validation}`,
    rollout,
  ].join('\n');

describe('ferry workflows check', () => {
  const dir = useTempDir('ferry-workflows-');

  it.each([
    [
      'a 100 % canary',
      base('{ goldenSet: g.jsonl }', 'rollout: { canaryPercent: 100 }'),
      /demo\.yaml: rollout\.canaryPercent: is 100/,
    ],
    [
      'no required matches',
      base('{ goldenSet: g.jsonl, gates: { minMatchRate: 0 } }'),
      /demo\.yaml: validation\.gates\.minMatchRate: is 0/,
    ],
  ])('prints a warning for %s, naming the file and field, and passes', async (_label, text, message) => {
    writeFileSync(join(dir(), 'demo.yaml'), text);
    const io = captureIo();
    expect(await workflows(['check', dir()], io)).toBe(0);
    expect(io.stderr).toEqual([expect.stringMatching(new RegExp(`^warning: ${dir()}/${message.source}`))]);
    expect(io.stdout.at(-1)).toBe('1 workflow(s) valid, 1 warning(s)');
  });

  it.each([
    ['an empty golden set', base('{ goldenSet: "" }'), /demo\.yaml: validation\.goldenSet: is empty/],
    [
      'gates that pass anything',
      base('{ goldenSet: g.jsonl, gates: { minMatchRate: 0, maxErrorRate: 1 } }'),
      /demo\.yaml: validation\.gates: /,
    ],
    [
      'a YAML bomb',
      'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
      /demo\.yaml: not usable YAML: Excessive alias count/,
    ],
  ])('refuses %s with the file named (exit 1)', async (_label, text, message) => {
    writeFileSync(join(dir(), 'demo.yaml'), text);
    const io = captureIo();
    expect(await workflows(['check', dir()], io)).toBe(1);
    expect(io.stderr).toEqual([expect.stringMatching(new RegExp(`^${dir()}/${message.source}`))]);
  });
});
