import {
  MessageError,
  parseDeployedMessage,
  parseOperationMessage,
  parseStageMessage,
} from '../../../../functions/pipeline/messages';

const OPERATION = 'projects/p/locations/us-central1/endpoints/1/operations/42';

describe('stage messages', () => {
  it('reads well-formed messages', () => {
    expect(parseStageMessage({ runId: 'flowers-7-abc' })).toEqual({ runId: 'flowers-7-abc' });
    expect(parseDeployedMessage({ runId: 'flowers-7-abc', step: -1 })).toEqual({ runId: 'flowers-7-abc', step: -1 });
    expect(
      parseOperationMessage({ runId: 'r', operation: OPERATION, purpose: 'deploy', startedAt: '2026-11-23T10:00:00Z' }),
    ).toEqual({ runId: 'r', operation: OPERATION, purpose: 'deploy', startedAt: '2026-11-23T10:00:00Z' });
    expect(
      parseOperationMessage({ runId: 'r', purpose: 'deploy', startedAt: '2026-11-23T10:00:00Z' }).operation,
    ).toBeUndefined();
  });

  it.each([
    ['null', null, /expected a JSON object/],
    ['an array', [{ runId: 'a' }], /expected a JSON object/],
    ['a missing run id', {}, /"runId" is missing or malformed/],
    ['a run id of the wrong type', { runId: 7 }, /"runId"/],
    ['an uppercase run id', { runId: 'Flowers' }, /"runId"/],
    ['an oversized run id', { runId: 'a'.repeat(64) }, /"runId"/],
  ])('refuses %s', (_name, value, message) => {
    expect(() => parseStageMessage(value)).toThrow(MessageError);
    expect(() => parseStageMessage(value)).toThrow(message);
  });

  it.each([
    [{ runId: 'r', step: '0' }, /"step"/],
    [{ runId: 'r', step: 1.5 }, /"step"/],
    [{ runId: 'r', step: -2 }, /"step"/],
    [{ runId: 'r' }, /"step"/],
  ])('refuses the deployed message %j', (value, message) => {
    expect(() => parseDeployedMessage(value)).toThrow(message);
  });

  it.each([
    [
      { runId: 'r', operation: OPERATION, purpose: 'explode', startedAt: '2026-11-23T10:00:00Z' },
      /"purpose" must be one of deploy, rollback, retire, register, create-endpoint/,
    ],
    [
      { runId: 'r', operation: 'operations/42', purpose: 'deploy', startedAt: '2026-11-23T10:00:00Z' },
      /"operation" is missing or malformed/,
    ],
    [{ runId: 'r', operation: OPERATION, purpose: 'deploy', startedAt: 'yesterday' }, /"startedAt" is not a date/],
    [{ runId: 'r', operation: OPERATION, purpose: 'deploy' }, /"startedAt"/],
  ])('refuses the operation message %j', (value, message) => {
    expect(() => parseOperationMessage(value)).toThrow(message);
  });
});
