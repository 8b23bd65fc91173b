import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { FIXTURES } from '../../helpers/fixtures';

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
