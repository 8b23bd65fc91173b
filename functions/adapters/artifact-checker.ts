import { readCheckpointIndex, shardFileName } from '../artifacts/checkpoint';
import { inspectFile, inspectFolder, type InspectReport } from '../artifacts/inspect-artifact';
import { decodeSavedModel, type SavedModel } from '../artifacts/savedmodel';
import { classifyError } from '../core/errors';
import { checkGoldenSize, parseGoldenSet } from '../core/validation/golden-set';
import { goldenSetLocation } from '../core/validation/golden-location';
import type { Workflow } from '../core/workflow/types';
import type { WorkflowSet } from '../core/workflow/workflow-set';
import type { ArtifactChecker, ObjectInfo, ObjectReader, StaticCheckResult } from '../pipeline/ports';
import { dtypeFromTf, parseInstances, type InputSpec } from '../runtime/instances';
import { gcsArtifactFiles } from './gcs/gcs-artifact-files';

/** Checksumming every tensor reads the whole checkpoint; above this, completeness and sizes only. */
export const CRC_CHECK_LIMIT_BYTES = 512 * 1024 * 1024;
const VARIABLE_OPS = new Set(['VariableV2', 'Variable', 'VarHandleOp']);

/**
 * The inspector over an artifact in Cloud Storage, plus the checks that need the workflow: a
 * `serve` MetaGraph with a predict `serving_default` signature, and golden instances that fit it.
 * Reader errors become problems (the artifact is rejected with the reason), never crashes; a
 * transient Storage error is thrown instead, so the event is retried rather than the model rejected.
 */
export class StorageArtifactChecker implements ArtifactChecker {
  constructor(
    private readonly objects: ObjectReader,
    private readonly workflows: () => WorkflowSet,
  ) {}

  async missingFiles(workflowName: string, bucket: string, root: string, listing: ObjectInfo[]): Promise<string[]> {
    const present = new Set(listing.map((o) => o.name.slice(root.length)));
    if (!present.has('saved_model.pb')) return ['saved_model.pb'];
    const goldenSet = this.workflows().byName(workflowName)?.validation.goldenSet ?? '';
    const needed = goldenSet.startsWith('./') ? [goldenSet.slice(2)] : [];
    let model: SavedModel;
    try {
      model = decodeSavedModel(
        await this.objects.read(bucket, `${root}saved_model.pb`),
        `gs://${bucket}/${root}saved_model.pb`,
      );
    } catch (error) {
      rethrowTransient(error);
      return needed.filter((f) => !present.has(f)); // the static checks will reject it with the reader's message
    }
    needed.push(...model.metaGraphs.flatMap((graph) => graph.assetFileDef.map((asset) => `assets/${asset.filename}`)));
    const hasVariables = model.metaGraphs.some((graph) =>
      (graph.graphDef?.node ?? []).some((node) => VARIABLE_OPS.has(node.op ?? '')),
    );
    if (hasVariables || present.has('variables/variables.index')) {
      if (!present.has('variables/variables.index'))
        return [...needed, 'variables/variables.index'].filter((f) => !present.has(f));
      try {
        const index = readCheckpointIndex(await this.objects.read(bucket, `${root}variables/variables.index`));
        for (let shard = 0; shard < index.numShards; shard += 1)
          needed.push(`variables/${shardFileName(shard, index.numShards)}`);
      } catch (error) {
        rethrowTransient(error);
        return needed.filter((f) => !present.has(f)); // a broken index is rejected by the static checks
      }
    }
    return [...new Set(needed)].filter((f) => !present.has(f));
  }

  async check(
    workflowName: string,
    kind: 'savedmodel' | 'tflite',
    bucket: string,
    root: string,
    listing: ObjectInfo[],
  ): Promise<StaticCheckResult> {
    const workflow = this.workflows().byName(workflowName);
    if (!workflow) return { problems: [`workflow ${workflowName} is not deployed`], facts: {} };
    let report: InspectReport;
    try {
      if (kind === 'tflite') {
        const info = await this.objects.stat(bucket, root);
        const limit = workflow.mobile?.maxSizeBytes ?? Infinity;
        if (info && info.size > limit)
          return {
            problems: [
              `gs://${bucket}/${root} is ${info.size} bytes, above mobile.maxSizeBytes ${limit} (${workflow.file})`,
            ],
            facts: {},
          };
        report = inspectFile(await this.objects.read(bucket, root), `gs://${bucket}/${root}`);
      } else {
        const bytes = listing.reduce((sum, o) => sum + o.size, 0);
        report = await inspectFolder(gcsArtifactFiles(this.objects, bucket, root, listing), {
          verifyCrc: bytes <= CRC_CHECK_LIMIT_BYTES,
        });
      }
    } catch (error) {
      rethrowTransient(error);
      return { problems: [(error as Error).message], facts: {} };
    }
    const problems = report.problems.map((p) => `${p.file}: ${p.message}`);
    if (report.kind === 'tflite') {
      const where = goldenSetLocation(workflow.validation.goldenSet, bucket, root);
      if (!(await this.objects.stat(where.bucket, where.name))) {
        problems.push(
          `gs://${where.bucket}/${where.name}: golden set not found (${workflow.file}, validation.goldenSet); upload it first, then drop the model as a new version`,
        );
      }
      return {
        problems,
        facts: {
          sizeBytes: report.sizeBytes,
          inputs: report.inputs,
          outputs: report.outputs,
          operators: report.operators.length,
        },
      };
    }
    const graph = report.metaGraphs.find((g) => g.tags.includes('serve'));
    const signature = graph?.signatures.serving_default;
    if (!graph)
      problems.push(
        `${report.location}: no MetaGraph tagged "serve"; export with tf.saved_model.save (Vertex AI serves the "serve" tag)`,
      );
    else if (!signature)
      problems.push(
        `${report.location}: no serving_default signature; the signatures are ${Object.keys(graph.signatures).join(', ') || 'none'}`,
      );
    else problems.push(...(await this.goldenProblems(workflow, bucket, root, signature.inputs)));
    return {
      problems,
      facts: { tensorflowVersion: graph?.tensorflowVersion, signature: signature ?? null, variables: report.variables },
    };
  }

  /** Golden instances that would not fit the signature: caught now, not after a 20-minute deployment. */
  private async goldenProblems(
    workflow: Workflow,
    bucket: string,
    root: string,
    inputs: Record<string, { dtype: string; shape: number[] | null }>,
  ): Promise<string[]> {
    const where = goldenSetLocation(workflow.validation.goldenSet, bucket, root);
    const uri = `gs://${where.bucket}/${where.name}`;
    const info = await this.objects.stat(where.bucket, where.name);
    if (!info) {
      return [
        `${uri}: golden set not found (${workflow.file}, validation.goldenSet); upload it first, then drop the model as a new version`,
      ];
    }
    try {
      checkGoldenSize(info.size, uri); // from the metadata: an oversized file is never downloaded
      const golden = parseGoldenSet(await this.objects.read(where.bucket, where.name), uri);
      const specs: Record<string, InputSpec> = {};
      for (const [key, t] of Object.entries(inputs))
        specs[key] = {
          dtype: dtypeFromTf(t.dtype),
          shape: t.shape === null ? null : t.shape.map((d, i) => (i === 0 ? -1 : d)),
        };
      for (const example of golden) {
        try {
          parseInstances([example.instance], specs);
        } catch (error) {
          return [
            `${uri} line ${example.line}: ${(error as Error).message.replace('instances[0]', 'instance')} (serving_default takes ${Object.keys(specs).join(', ')})`,
          ];
        }
      }
      return [];
    } catch (error) {
      rethrowTransient(error);
      return [`${uri}: ${(error as Error).message} (against the serving_default signature)`];
    }
  }
}

/** A read that failed for now (429, 503, a reset) is no verdict on the artifact: retry the event. */
function rethrowTransient(error: unknown): void {
  if (classifyError(error) === 'transient') throw error;
}
