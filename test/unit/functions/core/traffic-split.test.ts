import fc from 'fast-check';
import {
  deploySplit,
  scaleTo,
  stepSplit,
  total,
  withoutModel,
  type TrafficSplit,
} from '../../../../functions/core/traffic-split';

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
        for (const a of ids)
          for (const b of ids) if (current[a] > current[b]) expect(scaled[a]).toBeGreaterThanOrEqual(scaled[b]);
      }),
    );
  });
});

describe('split properties across a rollout', () => {
  const id = fc.stringMatching(/^[1-9][0-9]{0,9}$/);
  const split = fc.dictionary(id, fc.integer({ min: 0, max: 100 }), { maxKeys: 8 });
  const valid = (s: TrafficSplit) => Object.values(s).every((pct) => Number.isInteger(pct) && pct > 0 && pct <= 100);

  it('stepSplit gives the candidate its percent, sums to 100, and adds no one', () => {
    fc.assert(
      fc.property(split, id, fc.integer({ min: 1, max: 100 }), (current, candidate, percent) => {
        const next = stepSplit(current, candidate, percent);
        expect(total(next)).toBe(100);
        expect(valid(next)).toBe(true);
        const othersHaveTraffic = Object.entries(current).some(([k, pct]) => k !== candidate && pct > 0);
        expect(next[candidate]).toBe(othersHaveTraffic ? percent : 100);
        for (const key of Object.keys(next)) expect(key === candidate || (current[key] ?? 0) > 0).toBe(true);
      }),
    );
  });

  it('withoutModel removes the model and hands its traffic to the others (or leaves no split)', () => {
    fc.assert(
      fc.property(split, id, (current, gone) => {
        const next = withoutModel(current, gone);
        expect(next[gone]).toBeUndefined();
        expect(valid(next)).toBe(true);
        const othersHaveTraffic = Object.entries(current).some(([k, pct]) => k !== gone && pct > 0);
        expect(total(next)).toBe(othersHaveTraffic ? 100 : 0);
        expect(withoutModel(next, gone)).toEqual(next);
      }),
    );
  });

  it('a split that already sums to 100 is unchanged by scaling it to 100', () => {
    const exact = fc
      .uniqueArray(id, { minLength: 1, maxLength: 6 })
      .chain((ids) =>
        fc
          .array(fc.integer({ min: 1, max: 20 }), { minLength: ids.length, maxLength: ids.length })
          .map((w) => ({ ids, w })),
      )
      .map(({ ids, w }) => scaleTo(Object.fromEntries(ids.map((k, i) => [k, w[i]])), 100));
    fc.assert(fc.property(exact, (s) => expect(scaleTo(s, 100)).toEqual(s)));
  });

  it('a canary walked through rising steps ends alone at 100, every split valid on the way', () => {
    const steps = fc
      .uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 4 })
      .map((s) => [...s.sort((a, b) => a - b), 100]);
    fc.assert(
      fc.property(split, id, steps, (incumbents, candidate, walk) => {
        const previous = withoutModel(incumbents, candidate);
        const deployed = deploySplit(previous, walk[0]);
        let current: TrafficSplit = { ...deployed, [candidate]: deployed['0'] };
        delete current['0'];
        for (const percent of walk.slice(1)) {
          current = stepSplit(current, candidate, percent);
          expect(total(current)).toBe(100);
          expect(valid(current)).toBe(true);
        }
        expect(current).toEqual({ [candidate]: 100 });
      }),
    );
  });
});
