import { readConfig } from '../../../../functions/entry/config';

describe('readConfig', () => {
  it('applies the Cloud Functions defaults', () => {
    const config = readConfig({ FERRY_STATE_BUCKET: 'state' });
    expect(config).toMatchObject({
      stateBucket: 'state',
      awaitBudgetMs: 240_000,
      awaitPollMs: 10_000,
      operationTimeoutMs: 2 * 3_600_000,
      validateBudgetMs: 300_000,
      maxEventAgeMs: 6 * 3_600_000,
    });
    expect(config.workflowsDir).toMatch(/workflows$/);
    expect(config.mobileBucket).toBeUndefined();
  });

  it('names a missing bucket and a malformed number', () => {
    expect(() => readConfig({})).toThrow(/FERRY_STATE_BUCKET is not set/);
    expect(() => readConfig({ FERRY_STATE_BUCKET: 's', FERRY_AWAIT_BUDGET_MS: 'soon' })).toThrow(
      /FERRY_AWAIT_BUDGET_MS="soon": expected a positive number/,
    );
    expect(() => readConfig({ FERRY_STATE_BUCKET: 's', FERRY_AWAIT_POLL_MS: '-5' })).toThrow(/FERRY_AWAIT_POLL_MS/);
  });
});
