import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { functionNeeds, kebabCase, wiringImports } from '../../../../cli/package/function-needs';
import { ENTRY_POINTS } from '../../../../functions/index';
import { useTempDir } from '../../../helpers/temp-dir';

const ROOT = join(__dirname, '..', '..', '..', '..');
const V1 = 'google.cloud.aiplatform.v1';

describe('kebabCase', () => {
  it.each([
    ['onArtifact', 'on-artifact'],
    ['validatePredictions', 'validate-predictions'],
    ['x', 'x'],
  ])('%s → %s', (name, expected) => expect(kebabCase(name)).toBe(expected));
});

describe('wiringImports', () => {
  it.each<[string, string, string[]]>([
    ['one line', "import { clock, publisher } from './wiring';", ['clock', 'publisher']],
    ['several lines', "import {\n  clock,\n  registry as r,\n} from './wiring';", ['clock', 'registry']],
    ['type-only names left out', "import { clock, type Foo } from './wiring';", ['clock']],
    ['other modules ignored', "import { clock } from './wiring-x';\nimport { a } from '../wiring';", []],
    ['nothing', '', []],
  ])('%s', (_name, source, expected) => expect(wiringImports(source)).toEqual(expected));
});

describe('functionNeeds of the real entry points', () => {
  const expected: Record<string, { vertex: string[]; firebase: boolean; tflite: boolean }> = {
    onArtifact: { vertex: [], firebase: false, tflite: false },
    registerModel: { vertex: [`${V1}.ModelService`], firebase: false, tflite: false },
    // ModelService: a rollback run (ferry rollback) moves `default` (its client is built only then).
    deployModel: { vertex: [`${V1}.EndpointService`, `${V1}.ModelService`], firebase: false, tflite: false },
    // ModelService: a promotion moves `default`, uploads are followed, and giving up rolls a canary back.
    awaitOperation: { vertex: [`${V1}.EndpointService`, `${V1}.ModelService`], firebase: false, tflite: false },
    validatePredictions: {
      vertex: [`${V1}.EndpointService`, `${V1}.ModelService`, `${V1}.PredictionService`],
      firebase: false,
      tflite: false,
    },
    publishMobile: { vertex: [], firebase: true, tflite: true },
    onDeadLetter: { vertex: [`${V1}.EndpointService`, `${V1}.ModelService`], firebase: false, tflite: false },
    reconcile: { vertex: [`${V1}.EndpointService`, `${V1}.ModelService`], firebase: false, tflite: false },
    notifyRunEvent: { vertex: [], firebase: false, tflite: false },
  };

  it('covers every exported entry point', () => expect(Object.keys(expected).sort()).toEqual([...ENTRY_POINTS].sort()));

  it.each(Object.entries(expected))('%s', (entryPoint, want) => {
    const needs = functionNeeds(ROOT, entryPoint);
    expect(needs.source).toBe(`functions/entry/${kebabCase(entryPoint)}.ts`);
    expect({ vertex: needs.vertexServices, firebase: needs.firebase, tflite: needs.tfliteWasm }).toEqual(want);
    // stage-handler's own wiring imports count for the stage functions.
    if (entryPoint === 'notifyRunEvent')
      // No stage: it reads no run record, only its notification markers in the state bucket.
      expect(needs.wiring).toEqual(['clock', 'functionConfig', 'pendingStore']);
    else if (entryPoint !== 'onArtifact')
      expect(needs.wiring).toEqual(expect.arrayContaining(['functionConfig', 'stageDeps', 'pendingStore']));
  });
});

describe('functionNeeds on broken sources', () => {
  const dir = useTempDir();
  const write = (name: string, text: string) => {
    mkdirSync(join(dir(), 'functions/entry'), { recursive: true });
    writeFileSync(join(dir(), 'functions/entry', name), text);
  };

  it('names the missing entry file', () => {
    expect(() => functionNeeds(dir(), 'registerModel')).toThrow(
      /functions\/entry\/register-model\.ts: no source for entry point registerModel/,
    );
  });

  it('refuses an entry file that does not register its name', () => {
    write('register-model.ts', "cloudEvent('somethingElse', h);");
    expect(() => functionNeeds(dir(), 'registerModel')).toThrow(/does not register 'registerModel'/);
  });

  it('reads a new wiring import as a new need', () => {
    write('register-model.ts', "import { registry, predictor } from './wiring';\ncloudEvent('registerModel', h);");
    expect(functionNeeds(dir(), 'registerModel').vertexServices).toEqual([
      `${V1}.ModelService`,
      `${V1}.PredictionService`,
    ]);
  });
});

describe('functionNeeds: firebase-admin stays in the bundle of', () => {
  const dir = useTempDir('ferry-needs-');
  it.each([
    ['mobileChannels', true],
    ['remoteConfigTemplates', true],
    ['publisher', false],
  ])('a function that takes %s from the wiring: %s', (name, firebase) => {
    mkdirSync(join(dir(), 'functions/entry'), { recursive: true });
    writeFileSync(
      join(dir(), 'functions/entry/stage-x.ts'),
      `import { ${name} } from './wiring';\nhttp('stageX', () => ${name});\n`,
    );
    expect(functionNeeds(dir(), 'stageX').firebase).toBe(firebase);
  });
});
