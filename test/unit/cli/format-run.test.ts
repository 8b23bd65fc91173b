import { formatRun } from '../../../cli/format-run';
import { sampleRun } from '../../helpers/sample-run';

describe('formatRun', () => {
  it('names the dead letter that ended a run, so status ties the run to what sits on the topic', () => {
    const run = { ...sampleRun({ state: 'failed' }), outcome: 'failed' as const, deadLetterId: '4242' };
    expect(formatRun(run)).toContain('ended by dead letter 4242');
  });

  it('says when the reconciler nudged a run that is still under way', () => {
    const run = sampleRun({ state: 'deployed', nudgedAt: '2026-11-23T11:00:00.000Z' });
    expect(formatRun(run)).toContain('the reconciler republished its message at 2026-11-23T11:00:00.000Z');
    expect(formatRun({ ...run, state: 'failed', outcome: 'failed' })).not.toContain('reconciler');
  });

  it('names the environment a run rolls out in, where it is, and the run that promoted the version before', () => {
    const run = sampleRun({
      state: 'registered',
      environment: { name: 'production', parent: 'projects/p/locations/europe-west4' },
      promotedFrom: 'flowers-7-abc',
    });
    expect(formatRun(run).split('\n')[0]).toBe(
      'flowers-7-abc  savedmodel models/flowers/7/ (workflow flowers, environment production in projects/p/locations/europe-west4, promoted from flowers-7-abc)  … registered',
    );
    expect(formatRun(sampleRun()).split('\n')[0]).toContain('(workflow flowers)');
  });

  it('names the version a rollback run puts back, and its outcome', () => {
    const run = sampleRun({
      runId: 'flowers-rollback1-to-v1-abc',
      kind: 'rollback',
      version: '1',
      root: 'models/flowers/1/',
      state: 'rolled-back',
      outcome: 'rolled-back',
    });
    expect(formatRun(run).split('\n')[0]).toBe(
      'flowers-rollback1-to-v1-abc  rollback to v1 (models/flowers/1/) (workflow flowers)  ↩ rolled-back',
    );
  });

  it('shows a mobile rollout: parameter, candidate, percent, seed, next step and template versions', () => {
    const rollout = {
      modelName: 'flowers_staged',
      parameter: 'flowers_model',
      seed: 'ferry-0123',
      candidate: { version: '8', sha256: 'h', firebaseMlModel: 'flowers_staged_v8' },
      candidateValue: 'flowers_staged_v8',
      before: { defaultValue: { value: 'flowers_staged_v7' } },
      steps: [5, 25, 100],
      everyMs: 86_400_000,
      percent: 25,
      nextStepAt: '2026-12-01T10:00:00.000Z',
      templateVersions: ['12', '14'],
    };
    const run = sampleRun({
      kind: 'tflite',
      state: 'rolling-out',
      mobile: { sha256: 'h', sizeBytes: 1, channels: {}, rollout },
    });
    expect(formatRun(run)).toContain(
      'rolling out: Remote Config "flowers_model": flowers_staged_v8 for 25 % of app instances (seed ferry-0123); next step due 2026-12-01T10:00:00.000Z; template versions 12, 14  (ferry abort restores the parameter)',
    );
    const done = { ...run, state: 'published' as const, outcome: 'published' as const };
    expect(formatRun(done)).not.toContain('rolling out');
  });
});
