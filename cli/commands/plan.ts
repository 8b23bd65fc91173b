import { stat } from 'node:fs/promises';
import { runIdFor, versionAlias } from '../../functions/core/run/run-id';
import { servingImageFor } from '../../functions/core/serving-image';
import { deploySplit } from '../../functions/core/traffic-split';
import {
  endpointKey,
  environmentOf,
  firstEnvironment,
  promotionAliases,
} from '../../functions/core/workflow/environment-of';
import type { ArtifactMatch } from '../../functions/core/workflow/workflow-set';
import { parseCommandArgs } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import { classifyDropPath, unwatchedMessage } from '../drop-path';
import type { Command } from '../io';
import { errorLine, inspectPath } from '../load-artifact';
import { checkGoldenSet } from '../stack/missing-golden-set';
import { useStackFile } from '../stack/stack-env';
import { resolveTarget } from '../stack/target';
import { loadCliWorkflows } from '../workflows-dir';

/**
 * `ferry plan <local artifact> <bucket path>`: which workflow takes it and what would happen,
 * against the endpoint as it is now. Changes nothing.
 */
export const plan: Command = async (args, io) => {
  const [path, bucketPath] = parseCommandArgs(COMMAND_SPECS.plan, args).positionals;
  try {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new Error(`${path}: no such file or folder`);
    const stack = useStackFile();
    const bucket = process.env.FERRY_ARTIFACTS_BUCKET ?? stack?.buckets.artifacts ?? 'ARTIFACTS';
    const where = classifyDropPath(loadCliWorkflows(), bucketPath, info.isDirectory(), bucket);
    if (where.kind === 'unwatched') {
      io.err(unwatchedMessage(bucketPath, where.nearest));
      return 1;
    }
    if (where.kind === 'golden') {
      io.out(
        `${bucketPath} is the golden set of ${where.workflows.map((w) => w.name).join(', ')}: dropping it starts no run`,
      );
      return 0;
    }
    const { match } = where;
    const { workflow } = match;
    io.out(`workflow ${workflow.name} (${workflow.file}) takes ${match.root} as version ${match.version}`);
    io.out(`run id ${runIdFor(workflow.name, match.version, bucket, match.root)}`);
    const report = await inspectPath(path, { verifyCrc: true });
    if (report.kind !== workflow.artifact) {
      io.err(`${path} is a ${report.kind}, but ${workflow.file} expects a ${workflow.artifact}: it would be rejected`);
      return 1;
    }
    for (const problem of report.problems) io.err(`would be rejected: ${problem.file}: ${problem.message}`);
    const golden = await goldenSetCheck(match, path, info.isDirectory(), bucket);
    if (golden) io.err(golden.line);
    const exitCode = report.problems.length === 0 && !golden?.blocks ? 0 : 1;
    if (report.kind === 'tflite') {
      const mobile = workflow.mobile;
      const channels = Object.entries(mobile?.channels ?? {})
        .filter(([, on]) => on)
        .map(([name]) => name);
      io.out(
        `TFLite ${report.sizeBytes} bytes (limit ${mobile?.maxSizeBytes}); validated on ${workflow.validation.goldenSet}; then published as "${mobile?.modelName}" on ${channels.join(' and ') || 'no channel'}`,
      );
      return exitCode;
    }
    const graph = report.metaGraphs.find((g) => g.tags.includes('serve'));
    const image = servingImageFor(graph?.tensorflowVersion, workflow.model?.servingImage);
    io.out(
      `model: a new version of "${workflow.model?.displayName}" with aliases ${versionAlias(match.version)}, candidate; image ${image.image}${image.warning ? ` (${image.warning})` : ''}`,
    );
    let current: Record<string, number> = {};
    // A workflow with environments: the drop rolls out in the first one; the others follow its promotion.
    const first = firstEnvironment(workflow);
    const env = environmentOf(workflow, first?.name);
    if (first)
      io.out(
        `environment ${first.name} first, then ${
          workflow
            .environments!.slice(1)
            .map((e) => e.name)
            .join(', ') || 'nothing more'
        } once promoted`,
      );
    if (process.env.FERRY_PROJECT && env.endpoint && !first?.region && !first?.project) {
      const { VertexEndpoints } = await import('../../functions/adapters/vertex/vertex-endpoints');
      const { endpointClient, vertex } = await import('../../functions/adapters/vertex/vertex-clients');
      const endpoint = await new VertexEndpoints(endpointClient, () => vertex().parent).find(
        env.endpoint.displayName,
        endpointKey(workflow.name, first?.name),
      );
      current = endpoint?.trafficSplit ?? {};
      io.out(
        `endpoint "${env.endpoint.displayName}": ${endpoint ? `now ${JSON.stringify(current)}` : 'does not exist yet (would be created)'}`,
      );
      const { closeVertexClients } = await import('../../functions/adapters/vertex/vertex-clients');
      await closeVertexClients();
    }
    const split = deploySplit(current, env.rollout.canaryPercent);
    const steps = split['0'] === 100 ? [] : env.rollout.steps;
    io.out(
      `deploy at ${split['0']} % (split ${JSON.stringify(split)}, "0" = the candidate)${steps.length ? `, then ${steps.join(' % → ')} %` : ''}`,
    );
    const g = env.gates;
    io.out(
      `validated at each step on ${workflow.validation.goldenSet}: ≥ ${workflow.validation.minCandidateAnswers} candidate answers, match ≥ ${g.minMatchRate * 100} %, errors ≤ ${g.maxErrorRate * 100} %${g.maxP95LatencyMs ? `, p95 ≤ ${g.maxP95LatencyMs} ms` : ''}${g.maxP95LatencyRatio ? `, p95 ≤ ${g.maxP95LatencyRatio}× incumbent` : ''}`,
    );
    io.out(
      `on failure: the split goes back to ${JSON.stringify(current)} exactly and the candidate is undeployed; on success: ${promotionAliases(workflow, first?.name).join(', ')} → the candidate, ${env.rollout.keepPrevious} previous deployment(s) kept`,
    );
    return exitCode;
  } catch (error) {
    io.err(errorLine(path, error));
    return 1;
  }
};

/**
 * A line for stderr when the golden set is missing (`blocks`: the run would be rejected, or not
 * start) or could not be looked for; undefined when it is there.
 */
async function goldenSetCheck(
  match: ArtifactMatch,
  localPath: string,
  isFolder: boolean,
  bucket: string,
): Promise<{ line: string; blocks: boolean } | undefined> {
  const target = await resolveTarget().catch(() => undefined);
  const check = await checkGoldenSet(target?.storage, bucket, match, localPath, isFolder);
  if (check.status === 'missing') return { line: `${check.problem}: ${check.then}`, blocks: true };
  if (check.status === 'unchecked')
    return {
      line: `note: golden set ${check.uri} not checked: no running stack (ferry up) and FERRY_ARTIFACTS_BUCKET not set`,
      blocks: false,
    };
  return undefined;
}
