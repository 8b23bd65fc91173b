import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { FIXTURES } from '../../helpers/fixtures';

const ROOT = join(__dirname, '..', '..', '..');

describe('vendored TensorFlow fixtures', () => {
  const sums = readFileSync(join(FIXTURES, 'SHA256SUMS'), 'utf8').trim().split('\n');

  it('lists every fixture file once', () => {
    const listed = sums.map((line) => line.split(/\s+/)[1]).sort();
    const present = execFileSync('git', ['ls-files', 'savedmodel', 'tflite'], { cwd: FIXTURES, encoding: 'utf8' })
      .trim()
      .split('\n')
      .sort();
    expect(listed).toEqual(present);
    expect(listed.length).toBeGreaterThanOrEqual(30);
  });

  it.each(sums.map((line) => line.split(/\s+/) as [string, string]))('%s is byte for byte %s', (sha, path) => {
    expect(
      createHash('sha256')
        .update(readFileSync(join(FIXTURES, path)))
        .digest('hex'),
    ).toBe(sha);
  });
});

describe('the repository stands alone', () => {
  it('reads nothing from ../shared (a fresh clone has none)', () => {
    // Source files only; this test and .ci/run (which checks that ../shared is absent) name it on purpose.
    const pattern = String.raw`\.\./shared|'shared', 'fixtures'`;
    const grep = spawnSync(
      'git',
      ['grep', '-n', '-I', '-E', pattern, '--', '*.ts', '*.js', '*.mjs', '*.json', ':!test/unit/repository/'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(grep.status).toBe(1); // git grep: 1 means no match, 0 a match, 2+ an error
    expect(grep.stdout).toBe('');
  });
});
