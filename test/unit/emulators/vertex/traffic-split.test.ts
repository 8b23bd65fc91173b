import {
  pickDeployedModel,
  splitForDeploy,
  splitForUndeploy,
  splitForUpdate,
} from '../../../../emulators/vertex/traffic-split';
import { RpcError } from '../../../../emulators/vertex/rpc-error';
import { seededRandom } from '../../../../emulators/random';

const INVALID = 3;
const PRECONDITION = 9;

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof RpcError ? err.code : -1;
  }
  return undefined;
}

describe('splitForDeploy', () => {
  it.each([
    ['first model, empty split', {}, [], undefined, { new: 100 }],
    ['empty split keeps the current one', { a: 100 }, ['a'], {}, { a: 100 }],
    ['"0" means the model being deployed', { a: 100 }, ['a'], { '0': 10, a: 90 }, { new: 10, a: 90 }],
    ['the new model may get nothing', { a: 100 }, ['a'], { a: 100 }, { a: 100 }],
    ['all traffic to the new model', { a: 60, b: 40 }, ['a', 'b'], { '0': 100 }, { new: 100 }],
  ])('%s', (_name, current, ids, requested, expected) => {
    expect(splitForDeploy(current, ids, requested, 'new')).toEqual(expected);
  });

  it.each([
    ['sum below 100', { '0': 10, a: 80 }],
    ['sum above 100', { '0': 20, a: 90 }],
    ['unknown deployed model id', { '0': 10, zzz: 90 }],
    ['negative percentage', { '0': -10, a: 110 }],
    ['over 100', { '0': 101 }],
    ['fractional percentage', { '0': 10.5, a: 89.5 }],
  ])('refuses %s with INVALID_ARGUMENT', (_name, requested) => {
    expect(codeOf(() => splitForDeploy({ a: 100 }, ['a'], requested, 'new'))).toBe(INVALID);
  });

  it('names the field and the sum in its message', () => {
    expect(() => splitForDeploy({ a: 100 }, ['a'], { '0': 10, a: 80 }, 'new')).toThrow(
      /traffic_split.*add up to 100, got 90/,
    );
  });
});

describe('splitForUpdate', () => {
  it('accepts a full split over deployed models', () => {
    expect(splitForUpdate(['a', 'b'], { a: 30, b: 70 })).toEqual({ a: 30, b: 70 });
  });
  it('accepts an empty split only on an empty endpoint', () => {
    expect(splitForUpdate([], {})).toEqual({});
    expect(codeOf(() => splitForUpdate(['a'], {}))).toBe(INVALID);
  });
  it('refuses ids that are not deployed, including "0"', () => {
    expect(codeOf(() => splitForUpdate(['a'], { a: 90, b: 10 }))).toBe(INVALID);
    expect(codeOf(() => splitForUpdate(['a'], { '0': 100 }))).toBe(INVALID);
  });
});

describe('splitForUndeploy', () => {
  it('refuses to drop a model that still has traffic without a new split', () => {
    expect(codeOf(() => splitForUndeploy({ a: 90, b: 10 }, ['a', 'b'], 'a', undefined))).toBe(PRECONDITION);
  });
  it('drops a model with 0% without a new split', () => {
    expect(splitForUndeploy({ a: 100, b: 0 }, ['a', 'b'], 'b', {})).toEqual({ a: 100 });
  });
  it('moves traffic with the given split', () => {
    expect(splitForUndeploy({ a: 90, b: 10 }, ['a', 'b'], 'a', { b: 100 })).toEqual({ b: 100 });
    expect(splitForUndeploy({ a: 90, b: 10 }, ['a', 'b'], 'a', { a: 0, b: 100 })).toEqual({ b: 100 });
  });
  it('lets the last model go, leaving an empty split', () => {
    expect(splitForUndeploy({ a: 100 }, ['a'], 'a', undefined)).toEqual({});
  });
  it.each([
    ['keeps traffic on the removed model', { a: 10, b: 90 }],
    ['does not sum to 100', { b: 90 }],
    ['names an unknown model', { b: 90, c: 10 }],
  ])('refuses a split that %s', (_name, requested) => {
    expect(codeOf(() => splitForUndeploy({ a: 90, b: 10 }, ['a', 'b'], 'a', requested))).toBe(INVALID);
  });
});

describe('pickDeployedModel', () => {
  it('maps r onto cumulative percentages in order', () => {
    const split = { a: 10, b: 90 };
    expect(pickDeployedModel(split, ['a', 'b'], 0)).toBe('a');
    expect(pickDeployedModel(split, ['a', 'b'], 0.0999)).toBe('a');
    expect(pickDeployedModel(split, ['a', 'b'], 0.1)).toBe('b');
    expect(pickDeployedModel(split, ['a', 'b'], 0.9999999)).toBe('b');
  });
  it('skips models with 0% and answers undefined when nothing takes traffic', () => {
    expect(pickDeployedModel({ a: 0, b: 100 }, ['a', 'b'], 0)).toBe('b');
    expect(pickDeployedModel({}, ['a'], 0.5)).toBeUndefined();
    expect(pickDeployedModel({ a: 0 }, ['a'], 0.5)).toBeUndefined();
  });
  it('routes a seeded stream within a binomial bound of the split', () => {
    const r = seededRandom(7);
    const n = 10_000;
    let a = 0;
    for (let i = 0; i < n; i += 1) if (pickDeployedModel({ a: 25, b: 75 }, ['a', 'b'], r()) === 'a') a += 1;
    const sd = Math.sqrt(n * 0.25 * 0.75);
    expect(Math.abs(a - n * 0.25)).toBeLessThan(4 * sd);
  });
});
