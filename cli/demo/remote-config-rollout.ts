import type { Storage } from '@google-cloud/storage';
import type { App } from 'firebase-admin/app';
import { getRemoteConfig, type RemoteConfigTemplate } from 'firebase-admin/remote-config';
import type { LocalStack } from '../../emulators/local-stack';
import { rolloutConditionName } from '../../functions/core/mobile/rollout-template';
import { isTerminal } from '../../functions/core/run/run-record';
import type { CliIo } from '../io';
import { withConsole } from '../stack/console-app';
import { waitForRun } from './wait-for-run';

/** The parameter flowers-mobile-staged rolls out, and the model every app runs before it. */
const PARAMETER = 'flowers_model';
const TODAY = 'flowers_mobile';
/** The demo's firebase-admin app, as a person in the console. */
const DEMO_CONSOLE = 'ferry-demo-console';

async function edit(app: App, change: (template: RemoteConfigTemplate) => void): Promise<RemoteConfigTemplate> {
  const remoteConfig = getRemoteConfig(app);
  const template = await remoteConfig.getTemplate();
  change(template);
  return remoteConfig.publishTemplate(template);
}

const valueOf = (template: RemoteConfigTemplate, key: string) => {
  const value = template.parameters[key]?.defaultValue;
  return value && 'value' in value ? value.value : undefined;
};

/** Before the drop: the app team's parameter, pointing every app at today's model (a rollout needs it). */
export async function createRolloutParameter(io: CliIo, stack: LocalStack): Promise<void> {
  await withConsole(stack, DEMO_CONSOLE, (app) =>
    edit(app, (template) => {
      template.parameters[PARAMETER] = { defaultValue: { value: TODAY }, valueType: 'STRING' };
    }),
  );
  io.out(`  (in the console, the app team's Remote Config parameter ${PARAMETER} = "${TODAY}" for every app)`);
}

/**
 * Follows a staged rollout: at each step, what the template says; after the first step a person
 * edits another parameter in the console, which ferry's later publishes must keep.
 */
export async function followRemoteConfigRollout(
  io: CliIo,
  stack: LocalStack,
  storage: Storage,
  runId: string,
): Promise<void> {
  const condition = rolloutConditionName(PARAMETER);
  await withConsole(stack, DEMO_CONSOLE, async (app) => {
    let shown: number | undefined;
    for (;;) {
      const run = await waitForRun(
        storage,
        stack.buckets.state,
        runId,
        60_000,
        (r) => isTerminal(r) || (r.state === 'rolling-out' && r.mobile?.rollout?.percent !== shown),
      );
      const rollout = run.mobile?.rollout;
      if (isTerminal(run) || !rollout) break;
      const template = await getRemoteConfig(app).getTemplate();
      const expression = template.conditions.find((c) => c.name === condition)?.expression;
      io.out(
        `  … rolling-out at ${rollout.percent} %: Remote Config v${template.version?.versionNumber}, condition ${condition}: ${expression} → ${PARAMETER} = "${rollout.candidateValue}"; next step at ${rollout.nextStepAt}`,
      );
      if (shown === undefined) {
        const published = await edit(app, (t) => {
          t.parameters.welcome_text = { defaultValue: { value: 'Spring flowers are in!' }, valueType: 'STRING' };
        });
        io.out(
          `  … meanwhile someone publishes welcome_text in the console (v${published.version?.versionNumber}): ferry's next publish meets a new ETag, reads again, keeps it`,
        );
      }
      shown = rollout.percent;
    }
    const final = await getRemoteConfig(app).getTemplate();
    io.out(
      `  … Remote Config v${final.version?.versionNumber}: ${PARAMETER} = "${valueOf(final, PARAMETER)}" for every app, conditions: [${final.conditions.map((c) => c.name).join(', ')}]; welcome_text = "${valueOf(final, 'welcome_text')}" (the console edit, kept)`,
    );
  });
}
