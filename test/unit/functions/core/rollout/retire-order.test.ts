import { retireOrder, type Incumbent } from '../../../../../functions/core/rollout/retire-order';

/** Shorthand: `id` deployed version `v` with `pct` % before the candidate, its run's outcome. */
const d = (id: string, v: number, pct: number, outcome?: Incumbent['outcome']): Incumbent => ({
  id,
  modelVersionId: String(v),
  percentBefore: pct,
  ...(outcome ? { outcome } : {}),
});

describe('retireOrder', () => {
  it.each<[string, Incumbent[], number, { keep: string[]; retire: string[] }]>([
    ['nothing else deployed', [], 1, { keep: [], retire: [] }],
    ['keeps the previous default holder', [d('a', 1, 100, 'promoted')], 1, { keep: ['a'], retire: [] }],
    ['keepPrevious 0 retires every incumbent', [d('a', 1, 100, 'promoted')], 0, { keep: [], retire: ['a'] }],
    [
      // The old rule kept the newest by version number: the rejected v3, retiring the good v2.
      'keeps the last good incumbent over a newer rejected leftover',
      [d('a', 2, 100, 'promoted'), d('b', 3, 0, 'rejected')],
      1,
      { keep: ['a'], retire: ['b'] },
    ],
    [
      'retires rejected, then 0 % leftovers, then surplus good ones, oldest first',
      [
        d('old', 1, 0, 'promoted'),
        d('mid', 2, 0, 'promoted'),
        d('cur', 4, 100, 'promoted'),
        d('hand', 3, 0),
        d('rej', 5, 0, 'rejected'),
        d('fail', 6, 0, 'failed'),
      ],
      2,
      { keep: ['cur', 'mid'], retire: ['rej', 'fail', 'hand', 'old'] },
    ],
    [
      'counts only good versions towards keepPrevious',
      [d('cur', 3, 100, 'promoted'), d('rej', 4, 0, 'rejected'), d('prev', 2, 0, 'promoted')],
      2,
      { keep: ['cur', 'prev'], retire: ['rej'] },
    ],
    [
      'treats a deployment that served traffic as good even without a ferry run',
      [d('manual', 7, 100), d('left', 8, 0)],
      1,
      { keep: ['manual'], retire: ['left'] },
    ],
    [
      'prefers the bigger share, then the newer version, as the previous default holder',
      [d('small', 9, 20, 'promoted'), d('big', 3, 80, 'promoted'), d('tie', 4, 80, 'promoted')],
      1,
      { keep: ['tie'], retire: ['big', 'small'] },
    ],
    [
      'never keeps a rejected one, whatever keepPrevious',
      [d('rej', 2, 100, 'rejected')],
      3,
      { keep: [], retire: ['rej'] },
    ],
  ])('%s', (_name, incumbents, keepPrevious, expected) => {
    expect(retireOrder(incumbents, keepPrevious)).toEqual(expected);
  });
});
