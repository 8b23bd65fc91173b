import fc from 'fast-check';
import { deploySplit, scaleTo, stepSplit, total, withoutModel } from '../../../../functions/core/traffic-split';

describe('deploySplit', () => {
  it.each([
    [{}, 10, { '0': 100 }],
    [{ '111': 0 }, 10, { '0': 100 }],
    [{ '111': 100 }, 10, { '111': 90, '0': 10 }],
    [{ '111': 50, '222': 50 }, 10, { '111': 45, '222': 45, '0': 10 }],
    [{ '111': 67, '222': 33 }, 25, { '111': 50, '222': 25, '0': 25 }],
    [{ '111': 1, '222': 99 }, 50, { '111': 1, '222': 49, '0': 50 }],
    [{ '111': 100 }, 100, { '0': 100 }],
  ])('%j with a %i %% canary gives %j', (current, percent, expected) => {
    expect(deploySplit(current, percent)).toEqual(expected);
  });

  it.each([0, 101, 12.5, NaN])('refuses a canary of %s', (percent) => {
    expect(() => deploySplit({ a: 100 }, percent)).toThrow(/whole number from 1 to 100/);
  });
});

describe('stepSplit and withoutModel', () => {
  it('moves the candidate to the next step and scales the rest', () => {
    expect(stepSplit({ '111': 90, '222': 10 }, '222', 50)).toEqual({ '111': 50, '222': 50 });
    expect(stepSplit({ '111': 90, '222': 10 }, '222', 100)).toEqual({ '222': 100 });
  });

  it('gives the traffic of an undeployed model back to the others', () => {
    expect(withoutModel({ '111': 90, '222': 10 }, '222')).toEqual({ '111': 100 });
    expect(withoutModel({ '111': 60, '222': 20, '333': 20 }, '111')).toEqual({ '222': 50, '333': 50 });
    expect(withoutModel({ '222': 100 }, '222')).toEqual({});
  });
});

describe('split properties', () => {
  const split = fc.dictionary(fc.stringMatching(/^[1-9][0-9]{0,9}$/), fc.integer({ min: 0, max: 100 }), { maxKeys: 8 });

  it('always sums to exactly 100 with the candidate at its percent', () => {
    fc.assert(
      fc.property(split, fc.integer({ min: 1, max: 100 }), (current, percent) => {
        const next = deploySplit(current, percent);
        expect(total(next)).toBe(100);
        if (total(current) > 0) expect(next['0']).toBe(percent);
        expect(Object.values(next).every((pct) => Number.isInteger(pct) && pct > 0)).toBe(true);
      }),
    );
  });

  it('keeps the incumbents in the same order of traffic', () => {
    fc.assert(
      fc.property(split, fc.integer({ min: 0, max: 100 }), (current, budget) => {
        const scaled = scaleTo(current, budget);
        if (Object.values(current).some((pct) => pct > 0)) expect(total(scaled)).toBe(budget);
        const ids = Object.keys(scaled);
        for (const a of ids) for (const b of ids) if (current[a] > current[b]) expect(scaled[a]).toBeGreaterThanOrEqual(scaled[b]);
      }),
    );
  });
});
