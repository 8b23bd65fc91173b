import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirebaseRemoteConfigTemplates } from '../../functions/adapters/firebase/remote-config-templates';
import type { RemoteConfigTemplate } from '../../functions/pipeline/ports';
import { startRemoteConfig } from '../helpers/remote-config-emulator';
import type { Bench, BenchRow } from './harness';

const STEPS = 100;

/** One rollout step as ferry makes it: read, widen the percent condition, validate, publish. */
function widened(template: RemoteConfigTemplate, step: number): RemoteConfigTemplate {
  return {
    ...template,
    conditions: [{ name: 'ferry_rollout', expression: `percent('bench') between 0 and ${(step % 100) + 1}` }],
    parameters: {
      flowers_model: { defaultValue: { value: 'v1' }, conditionalValues: { ferry_rollout: { value: 'v2' } } },
    },
  };
}

async function stepsPerSecond(dataDir?: string): Promise<{ steps: number; reads: number }> {
  const fx = await startRemoteConfig({ dataDir });
  try {
    const templates = new FirebaseRemoteConfigTemplates(() => fx.app);
    for (let i = 0; i < 5; i += 1) await templates.publish(widened(await templates.get(), i));
    let start = process.hrtime.bigint();
    for (let i = 0; i < STEPS; i += 1) await templates.get();
    const reads = STEPS / (Number(process.hrtime.bigint() - start) / 1e9);
    start = process.hrtime.bigint();
    for (let i = 0; i < STEPS; i += 1) await templates.publish(widened(await templates.get(), i));
    return { steps: STEPS / (Number(process.hrtime.bigint() - start) / 1e9), reads };
  } finally {
    await fx.stop();
  }
}

/**
 * A rollout step (getTemplate, validateTemplate, publishTemplate: three round trips) through the
 * adapter and the unmodified firebase-admin over TLS, against a bare getTemplate; and the same
 * steps with a dataDir, where every publish rewrites the state file (all kept versions).
 */
export const bench: Bench = {
  id: 'remote-config-emulator',
  title: 'Remote Config emulator: rollout steps through firebase-admin',
  async run(): Promise<BenchRow[]> {
    const memory = await stepsPerSecond();
    const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-rc-'));
    let kept: { steps: number; reads: number };
    try {
      kept = await stepsPerSecond(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return [
      {
        name: 'get + validate + publish via the adapter',
        value: memory.steps,
        unit: 'steps/s',
        baseline: { name: 'getTemplate alone', value: memory.reads },
        detail: `${STEPS} sequential steps, no dataDir`,
      },
      {
        name: 'the same steps with a dataDir',
        value: kept.steps,
        unit: 'steps/s',
        baseline: { name: 'without a dataDir', value: memory.steps },
        detail: `up to ${STEPS + 5} versions rewritten on each publish`,
      },
    ];
  },
};
