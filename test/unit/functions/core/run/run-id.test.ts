import { createHash } from 'node:crypto';
import {
  deployedModelIdFor,
  newerVersion,
  newerVersionTag,
  runIdFor,
  versionAlias,
} from '../../../../../functions/core/run/run-id';

describe('runIdFor', () => {
  it('is the same for the same artifact and differs across buckets and versions', () => {
    const a = runIdFor('flowers', '7', 'artifacts', 'models/flowers/7/');
    expect(runIdFor('flowers', '7', 'artifacts', 'models/flowers/7/')).toBe(a);
    expect(runIdFor('flowers', '7', 'other', 'models/flowers/7/')).not.toBe(a);
    expect(runIdFor('flowers', '8', 'artifacts', 'models/flowers/8/')).not.toBe(a);
  });

  it.each([['7'], ['2026.11.23-RC1'], ['x'.repeat(63)]])('is a valid Vertex label value for version %s', (version) => {
    const id = runIdFor('a-very-long-workflow-name-of-forty-chars', version, 'b', `m/${version}/`);
    expect(id).toMatch(/^[a-z0-9_-]{1,63}$/);
  });
});

describe('runIdFor with an attempt', () => {
  const args = ['flowers', '7', 'artifacts', 'models/flowers/7/'] as const;

  it("keeps the first attempt's id exactly as before attempts existed", () => {
    expect(runIdFor(...args, 1)).toBe(runIdFor(...args));
    const hash = createHash('sha256').update('artifacts/models/flowers/7/').digest('hex').slice(0, 10);
    expect(runIdFor(...args)).toBe(`flowers-7-${hash}`);
  });

  it('gives later attempts the same id with -a<n>, distinct for each attempt', () => {
    const first = runIdFor(...args);
    expect(runIdFor(...args, 2)).toBe(`${first}-a2`);
    expect(runIdFor(...args, 12)).toBe(`${first}-a12`);
  });

  it.each([2, 9, 10, 100, 12345])('shortens the readable part, never the hash, at attempt %d', (attempt) => {
    const workflow = 'a-very-long-workflow-name-of-forty-chars';
    const version = 'x'.repeat(40);
    const first = runIdFor(workflow, version, 'b', 'm/x/');
    const id = runIdFor(workflow, version, 'b', 'm/x/', attempt);
    expect(id).toMatch(/^[a-z0-9_-]{1,63}$/);
    expect(id.endsWith(`-${first.slice(-10)}-a${attempt}`)).toBe(true);
    expect(id).not.toBe(first);
  });

  it.each([0, -1, 1.5])('refuses attempt %d', (attempt) => {
    expect(() => runIdFor(...args, attempt)).toThrow(`attempt ${attempt}: must be a whole number ≥ 1`);
  });
});

describe('versionAlias', () => {
  it.each([
    ['7', 'v7'],
    ['2026.11.23', 'v2026-11-23'],
    ['RC_1', 'vrc-1'],
    ['1-', 'v1'],
  ])('%s → %s, a valid alias', (version, alias) => {
    expect(versionAlias(version)).toBe(alias);
    expect(versionAlias(version)).toMatch(/^[a-z][a-zA-Z0-9-]{0,126}[a-z0-9]$/);
  });
});

describe('deployedModelIdFor', () => {
  it('is a stable 10-digit id', () => {
    const id = deployedModelIdFor('flowers-7-abc');
    expect(id).toMatch(/^[1-9][0-9]{9}$/);
    expect(deployedModelIdFor('flowers-7-abc')).toBe(id);
    expect(deployedModelIdFor('flowers-8-abc')).not.toBe(id);
  });
});

describe('newerVersion', () => {
  it.each([
    ['10', '9', true],
    ['9', '10', false],
    ['2026-11-23', '2026-11-22', true],
    ['v2', 'v10', false],
    ['7', '7', false],
  ])('%s is newer than %s: %s', (a, b, expected) => {
    expect(newerVersion(a, b)).toBe(expected);
  });
});

describe('newerVersionTag', () => {
  it("finds a newer numbered version among a model's tags", () => {
    expect(newerVersionTag(['vision', 'v10'], 'v9')).toBe('v10');
    expect(newerVersionTag(['vision', 'v2026-11-23'], versionAlias('2026-11-22'))).toBe('v2026-11-23');
  });

  it.each([
    ['an older version', ['vision', 'v8']],
    ['the same version', ['vision', 'v9']],
    ['a word starting with v', ['validated', 'verified', 'vision']],
    ['a bare v', ['v']],
    ['no tags at all', []],
    ['a capitalized tag', ['V10']],
  ])('finds none in %s', (_what, tags) => {
    expect(newerVersionTag(tags, 'v9')).toBeUndefined();
  });
});
