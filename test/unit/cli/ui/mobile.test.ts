import { mobileReleases } from '../../../../cli/ui/server/mobile';
import { sampleRun } from '../../../helpers/sample-run';

const tflite = (version: string, state: 'published' | 'rejected', createdAt: string, workflow = 'phone') =>
  sampleRun(
    {
      runId: `${workflow}-${version}`,
      workflow,
      kind: 'tflite',
      version,
      state,
      ...(state === 'published'
        ? {
            mobile: {
              sha256: `sha-${version}`,
              sizeBytes: 1000 + Number(version),
              channels: { firebaseMl: { status: 'published', detail: `model ${version}` } },
            },
          }
        : {}),
    },
    createdAt,
  );

describe('mobileReleases', () => {
  it('lists TFLite runs newest first; the newest published of each workflow is live', () => {
    const releases = mobileReleases([
      tflite('1', 'published', '2026-11-23T10:00:00.000Z'),
      tflite('2', 'published', '2026-11-23T11:00:00.000Z'),
      tflite('3', 'rejected', '2026-11-23T12:00:00.000Z'),
      tflite('1', 'published', '2026-11-23T09:00:00.000Z', 'tablet'),
      sampleRun({ runId: 'server-1' }),
    ]);
    expect(releases.map((r) => [r.runId, r.live])).toEqual([
      ['phone-3', false],
      ['phone-2', true],
      ['phone-1', false],
      ['tablet-1', true],
    ]);
    expect(releases[1]).toEqual({
      workflow: 'phone',
      version: '2',
      runId: 'phone-2',
      state: 'published',
      sizeBytes: 1002,
      sha256: 'sha-2',
      channels: { firebaseMl: { status: 'published', detail: 'model 2' } },
      live: true,
    });
    expect(releases[0]).toEqual(expect.objectContaining({ channels: {}, state: 'rejected' }));
    expect(releases[0]).not.toHaveProperty('sizeBytes');
  });

  it('shows where a staged rollout stands, and when its next step is due while it rolls out', () => {
    const rollout = {
      modelName: 'm',
      parameter: 'phone_model',
      seed: 's',
      candidate: { version: '4', sha256: 'h' },
      candidateValue: 'm_v4',
      before: {},
      steps: [5, 100],
      everyMs: 1000,
      percent: 5,
      nextStepAt: '2026-11-24T10:00:00.000Z',
      templateVersions: ['2'],
    };
    const rolling = sampleRun({
      runId: 'phone-4',
      workflow: 'phone',
      kind: 'tflite',
      version: '4',
      state: 'rolling-out',
      mobile: { sha256: 'h', sizeBytes: 1, channels: {}, rollout },
    });
    expect(mobileReleases([rolling])[0].rollout).toEqual({
      parameter: 'phone_model',
      percent: 5,
      nextStepAt: '2026-11-24T10:00:00.000Z',
    });
    const done = {
      ...rolling,
      state: 'published' as const,
      mobile: { ...rolling.mobile!, rollout: { ...rollout, percent: 100 } },
    };
    expect(mobileReleases([done])[0].rollout).toEqual({ parameter: 'phone_model', percent: 100 });
  });
});
