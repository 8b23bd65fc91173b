import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findStackFile } from '../../../../cli/stack/find-stack-file';
import { useTempDir } from '../../../helpers/temp-dir';

describe('findStackFile', () => {
  const tempDir = useTempDir();
  it('takes FERRY_STACK_FILE, then FERRY_STACK', () => {
    expect(findStackFile({ FERRY_STACK_FILE: '/a.json', FERRY_STACK: '/b.json' }, '/')).toBe('/a.json');
    expect(findStackFile({ FERRY_STACK: '/b.json' }, '/')).toBe('/b.json');
  });

  it('walks up from the current folder to the nearest .ferry/stack.json', () => {
    const root = tempDir();
    mkdirSync(join(root, '.ferry'));
    writeFileSync(join(root, '.ferry', 'stack.json'), '{}');
    const deep = join(root, 'functions', 'core');
    mkdirSync(deep, { recursive: true });
    expect(findStackFile({}, deep)).toBe(join(root, '.ferry', 'stack.json'));
  });

  it('finds none outside any stack', () => expect(findStackFile({}, tempDir())).toBeUndefined());
});
