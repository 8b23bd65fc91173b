import { checkRecorded, recordPending } from '../../../../../functions/pipeline/stages/pending-operation';
import { sampleRun } from '../../../../helpers/sample-run';

const NOW = new Date('2026-11-30T12:00:00Z');
const OPERATION = 'projects/p/locations/europe-west4/operations/7';

describe('pending operations name the RPC the run started', () => {
  it.each([
    ['an upload', {}, 'UploadModel'],
    ['a copy from another region', { copyFrom: 'projects/p/locations/us-central1/models/1@1' }, 'CopyModel'],
  ])('%s: the timeline and a failure name its RPC', async (_name, extra, rpc) => {
    const run = recordPending(sampleRun({ state: 'checked', ...extra }), 'registering', OPERATION, NOW);
    expect(run.timeline.at(-1)?.detail).toBe(`${rpc} ${OPERATION} still running; following it`);
    const failed = checkRecorded(run, 'registering', async () => ({
      done: true,
      error: { code: 9, message: 'the source model is gone' },
    }));
    await expect(failed).rejects.toThrow(`${rpc} ${OPERATION} failed: the source model is gone (code 9)`);
  });

  it('names CreateEndpoint for an endpoint being created, copy or not', () => {
    const run = recordPending(
      sampleRun({ state: 'registered', copyFrom: 'projects/p/locations/us-central1/models/1@1' }),
      'creating-endpoint',
      OPERATION,
      NOW,
    );
    expect(run.timeline.at(-1)?.detail).toMatch(/^CreateEndpoint /);
  });
});
