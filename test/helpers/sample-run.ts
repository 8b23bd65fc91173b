import type { RunRecord } from '../../functions/core/run/run-record';

/** A SavedModel run as onArtifact records it, with any fields overridden. */
export function sampleRun(overrides: Partial<RunRecord> = {}, at = '2026-11-23T10:00:00.000Z'): RunRecord {
  return {
    runId: 'flowers-7-abc',
    workflow: 'flowers',
    kind: 'savedmodel',
    bucket: 'artifacts',
    root: 'models/flowers/7/',
    version: '7',
    state: 'checked',
    step: -1,
    createdAt: at,
    updatedAt: at,
    timeline: [{ state: overrides.state ?? 'checked', at }],
    ...overrides,
  };
}
