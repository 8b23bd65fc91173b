import {
  missingFiles,
  requiredFiles,
  usesVariables,
  type FolderFacts,
} from '../../../../../functions/core/artifact/required-files';

const PB = 'saved_model.pb';
const INDEX = 'variables/variables.index';
const SHARDS = ['variables.data-00000-of-00002', 'variables.data-00001-of-00002'];
const complete = [PB, INDEX, 'variables/variables.data-00000-of-00002', 'variables/variables.data-00001-of-00002'];

function facts(present: string[], more: Partial<FolderFacts> = {}): FolderFacts {
  return { present: new Set(present), goldenSet: 'gs://golden/flowers.jsonl', assets: [], hasVariables: true, ...more };
}

describe('missingFiles', () => {
  it.each<[string, FolderFacts, string[]]>([
    ['complete folder', facts(complete, { shardNames: SHARDS }), []],
    ['missing saved_model.pb: nothing else can be known', facts([INDEX], { goldenSet: './golden.jsonl' }), [PB]],
    ['missing index of a graph with variables', facts([PB]), [INDEX]],
    ['no variables and no index: none needed', facts([PB], { hasVariables: false }), []],
    [
      'an index shipped anyway is read',
      facts([PB, INDEX], { hasVariables: false, shardNames: ['variables.data-00000-of-00001'] }),
      ['variables/variables.data-00000-of-00001'],
    ],
    ['missing shard', facts(complete.slice(0, 3), { shardNames: SHARDS }), ['variables/variables.data-00001-of-00002']],
    ['missing asset', facts(complete, { shardNames: SHARDS, assets: ['vocab.txt'] }), ['assets/vocab.txt']],
    ['asset present', facts([...complete, 'assets/vocab.txt'], { shardNames: SHARDS, assets: ['vocab.txt'] }), []],
    [
      'missing golden set beside the model',
      facts(complete, { shardNames: SHARDS, goldenSet: './golden.jsonl' }),
      ['golden.jsonl'],
    ],
    [
      'golden set elsewhere is not waited for',
      facts(complete, { shardNames: SHARDS, goldenSet: 'golden/x.jsonl' }),
      [],
    ],
    [
      'unreadable saved_model.pb: only the golden set',
      facts([PB], { assets: undefined, hasVariables: undefined, goldenSet: './g.jsonl' }),
      ['g.jsonl'],
    ],
    ['unreadable index: no shards asked for', facts([PB, INDEX], { shardNames: undefined }), []],
    [
      'an asset named twice is asked for once',
      facts(complete, { shardNames: SHARDS, assets: ['a', 'a'] }),
      ['assets/a'],
    ],
  ])('%s', (_, given, missing) => {
    expect(missingFiles(given)).toEqual(missing);
  });
});

describe('requiredFiles', () => {
  it('lists everything the folder needs, present or not', () => {
    expect(requiredFiles(facts([PB], { shardNames: SHARDS, assets: ['v.txt'], goldenSet: './g.jsonl' }))).toEqual([
      PB,
      'g.jsonl',
      'assets/v.txt',
      ...complete.slice(1),
    ]);
    expect(requiredFiles(facts(complete, { shardNames: SHARDS }))).toEqual(complete);
  });
});

describe('usesVariables', () => {
  it.each([
    [['Placeholder', 'VariableV2'], true],
    [['VarHandleOp'], true],
    [['Variable'], true],
    [['Const', 'Mul', 'Add'], false],
    [[], false],
  ])('%j → %s', (ops, expected) => {
    expect(usesVariables(ops)).toBe(expected);
  });
});
