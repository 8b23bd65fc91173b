import { checkPreconditions, readPreconditions } from '../../../../emulators/storage/preconditions';
import type { Preconditions } from '../../../../emulators/storage/types';

const LIVE = { generation: 100, metageneration: 3 };

describe('checkPreconditions', () => {
  it.each<[Preconditions, typeof LIVE | undefined, boolean]>([
    [{ ifGenerationMatch: 0 }, undefined, true],
    [{ ifGenerationMatch: 0 }, LIVE, false],
    [{ ifGenerationMatch: 100 }, LIVE, true],
    [{ ifGenerationMatch: 99 }, LIVE, false],
    [{ ifGenerationMatch: 100 }, undefined, false],
    [{ ifGenerationNotMatch: 100 }, LIVE, false],
    [{ ifGenerationNotMatch: 0 }, undefined, false],
    [{ ifGenerationNotMatch: 5 }, LIVE, true],
    [{ ifMetagenerationMatch: 3 }, LIVE, true],
    [{ ifMetagenerationMatch: 2 }, LIVE, false],
    [{ ifMetagenerationMatch: 1 }, undefined, false],
    [{ ifMetagenerationNotMatch: 3 }, LIVE, false],
    [{ ifMetagenerationNotMatch: 2 }, LIVE, true],
    [{ ifGenerationMatch: 100, ifMetagenerationMatch: 2 }, LIVE, false],
    [{}, undefined, true],
  ])('%j against %j holds: %s', (conditions, live, holds) => {
    const run = () => checkPreconditions(conditions, live);
    if (holds) expect(run).not.toThrow();
    else {
      expect(run).toThrow(
        expect.objectContaining({
          status: 412,
          message: 'At least one of the pre-conditions you specified did not hold.',
        }),
      );
    }
  });

  it('renders the 412 body GCS sends', () => {
    let body: unknown;
    try {
      checkPreconditions({ ifGenerationMatch: 0 }, LIVE);
    } catch (error) {
      body = (error as { toBody(): unknown }).toBody();
    }
    expect(body).toEqual({
      error: {
        code: 412,
        message: 'At least one of the pre-conditions you specified did not hold.',
        errors: [
          {
            domain: 'global',
            reason: 'conditionNotMet',
            message: 'At least one of the pre-conditions you specified did not hold.',
            locationType: 'header',
            location: 'If-Match',
          },
        ],
      },
    });
  });
});

describe('readPreconditions', () => {
  it('reads destination and source variants', () => {
    const query = new URLSearchParams('ifGenerationMatch=0&ifMetagenerationNotMatch=4&ifSourceGenerationMatch=77');
    expect(readPreconditions(query)).toEqual({ ifGenerationMatch: 0, ifMetagenerationNotMatch: 4 });
    expect(readPreconditions(query, true)).toEqual({ ifGenerationMatch: 77 });
  });

  it.each(['abc', '-1', '1.5', '', '12345678901234567'])('rejects ifGenerationMatch=%j with 400', (value) => {
    expect(() => readPreconditions(new URLSearchParams({ ifGenerationMatch: value }))).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringMatching(/ifGenerationMatch/) }),
    );
  });
});
