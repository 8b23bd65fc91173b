import { join } from 'node:path';
import { loadWorkflows } from '../../functions/adapters/workflow-files';
import { runIdFor, versionAlias } from '../../functions/core/run/run-id';
import { servingImageFor } from '../../functions/core/serving-image';
import { deploySplit } from '../../functions/core/traffic-split';
import { parseCommandArgs } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { Command } from '../io';
import { errorLine, inspectPath } from '../load-artifact';
import { useStackFile } from '../stack/stack-env';

/**
 * `ferry plan <local artifact> <bucket path>`: which workflow takes it and what would happen,
 * against the endpoint as it is now. Changes nothing.
 */
export const plan: Command = async (args, io) => {
  const [path, bucketPath] = parseCommandArgs(COMMAND_SPECS.plan, args).positionals;
  try {
    const stack = useStackFile();
    const workflows = loadWorkflows(process.env.FERRY_WORKFLOWS_DIR ?? join(__dirname, '..', '..', 'workflows'));
    const probe = bucketPath.endsWith('/') ? `${bucketPath}saved_model.pb` : bucketPath;
    const match = workflows.match(probe);
    if (!match) {
      io.err(
        `${bucketPath}: no workflow watches this path; the watched patterns are ${workflows.workflows.map((w) => w.match).join(', ')}`,
      );
      return 1;
    }
    const { workflow } = match;
    const bucket = process.env.FERRY_ARTIFACTS_BUCKET ?? stack?.buckets.artifacts ?? 'ARTIFACTS';
    io.out(`workflow ${workflow.name} (${workflow.file}) takes ${match.root} as version ${match.version}`);
    io.out(`run id ${runIdFor(workflow.name, match.version, bucket, match.root)}`);
    const report = await inspectPath(path, { verifyCrc: true });
    if (report.kind !== workflow.artifact) {
      io.err(`${path} is a ${report.kind}, but ${workflow.file} expects a ${workflow.artifact}: it would be rejected`);
      return 1;
    }
    for (const problem of report.problems) io.err(`would be rejected: ${problem.file}: ${problem.message}`);
    if (report.kind === 'tflite') {
      const mobile = workflow.mobile;
      const channels = Object.entries(mobile?.channels ?? {})
        .filter(([, on]) => on)
        .map(([name]) => name);
      io.out(
        `TFLite ${report.sizeBytes} bytes (limit ${mobile?.maxSizeBytes}); validated on ${workflow.validation.goldenSet}; then published as "${mobile?.modelName}" on ${channels.join(' and ') || 'no channel'}`,
      );
      return report.problems.length === 0 ? 0 : 1;
    }
    const graph = report.metaGraphs.find((g) => g.tags.includes('serve'));
    const image = servingImageFor(graph?.tensorflowVersion, workflow.model?.servingImage);
    io.out(
      `model: a new version of "${workflow.model?.displayName}" with aliases ${versionAlias(match.version)}, candidate; image ${image.image}${image.warning ? ` (${image.warning})` : ''}`,
    );
    let current: Record<string, number> = {};
    if (process.env.FERRY_PROJECT && workflow.endpoint) {
      const { VertexEndpoints } = await import('../../functions/adapters/vertex/vertex-endpoints');
      const { endpointClient, vertex } = await import('../../functions/adapters/vertex/vertex-clients');
      const endpoint = await new VertexEndpoints(endpointClient, () => vertex().parent).find(
        workflow.endpoint.displayName,
        workflow.name,
      );
      current = endpoint?.trafficSplit ?? {};
      io.out(
        `endpoint "${workflow.endpoint.displayName}": ${endpoint ? `now ${JSON.stringify(current)}` : 'does not exist yet (would be created)'}`,
      );
      const { closeVertexClients } = await import('../../functions/adapters/vertex/vertex-clients');
      await closeVertexClients();
    }
    const split = deploySplit(current, workflow.rollout.canaryPercent);
    const steps = split['0'] === 100 ? [] : workflow.rollout.steps;
    io.out(
      `deploy at ${split['0']} % (split ${JSON.stringify(split)}, "0" = the candidate)${steps.length ? `, then ${steps.join(' % → ')} %` : ''}`,
    );
    const g = workflow.validation.gates;
    io.out(
      `validated at each step on ${workflow.validation.goldenSet}: ≥ ${workflow.validation.minCandidateAnswers} candidate answers, match ≥ ${g.minMatchRate * 100} %, errors ≤ ${g.maxErrorRate * 100} %${g.maxP95LatencyMs ? `, p95 ≤ ${g.maxP95LatencyMs} ms` : ''}${g.maxP95LatencyRatio ? `, p95 ≤ ${g.maxP95LatencyRatio}× incumbent` : ''}`,
    );
    io.out(
      `on failure: the split goes back to ${JSON.stringify(current)} exactly and the candidate is undeployed; on success: default → the candidate, ${workflow.rollout.keepPrevious} previous deployment(s) kept`,
    );
    return report.problems.length === 0 ? 0 : 1;
  } catch (error) {
    io.err(errorLine(path, error));
    return 1;
  }
};
