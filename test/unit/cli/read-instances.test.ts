import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInstances } from '../../../cli/read-instances';
import { useTempDir } from '../../helpers/temp-dir';

describe('readInstances (ferry predict --instances)', () => {
  const dir = useTempDir();
  const file = (name: string, text: string) => {
    writeFileSync(join(dir(), name), text);
    return join(dir(), name);
  };

  it.each([
    ['inline array', '[{"x": [1]}]', [{ x: [1] }]],
    ['inline {"instances"}', '{"instances": [[1], [2]]}', [[1], [2]]],
  ])('reads %s', async (_name, arg, instances) => {
    expect(await readInstances(arg)).toEqual({ kind: 'instances', instances });
  });

  it('reads JSON files, JSON Lines of instances, and golden sets', async () => {
    expect(await readInstances(file('a.json', '{"instances": [1, 2]}'))).toEqual({
      kind: 'instances',
      instances: [1, 2],
    });
    expect(await readInstances(file('b.jsonl', '{"x": [1]}\n\n{"x": [2]}\n'))).toEqual({
      kind: 'instances',
      instances: [{ x: [1] }, { x: [2] }],
    });
    const golden = await readInstances(file('g.jsonl', '{"instance": {"x": [1]}, "expected": [2.5]}\n'));
    expect(golden.kind).toBe('golden');
  });

  it.each([
    ['broken inline JSON', () => '[{"x": ', /--instances: not JSON/],
    ['an inline object without instances', () => '{"x": 1}', /expected a JSON array of instances or \{"instances"/],
    ['a missing file', () => '/nope/instances.json', /--instances \/nope\/instances\.json: no such file/],
    [
      'a JSON Lines file with a bad line',
      () => file('bad.jsonl', '{"x": [1]}\n{"x": \n'),
      /bad\.jsonl line 2: not JSON/,
    ],
    ['an empty file', () => file('empty.json', ''), /empty\.json line 1: not JSON/],
    [
      'a truncated golden set',
      () => file('g2.jsonl', '{"instance": {"x": [1]}, "expected": [2.5]}\n{"instance": '),
      /g2\.jsonl: line 2: not JSON/,
    ],
  ])('refuses %s, naming it', async (_name, arg, message) => {
    await expect(readInstances(arg())).rejects.toThrow(message);
  });
});
