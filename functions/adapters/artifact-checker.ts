import { readCheckpointIndex, shardFileName } from '../artifacts/checkpoint';
import { inspectFile, inspectFolder, type InspectReport } from '../artifacts/inspect-artifact';
import { decodeSavedModel } from '../artifacts/savedmodel';
import { goldenFitProblems, goldenSetNotFound, tfliteSizeProblem } from '../core/artifact/golden-fit';
import {
  CHECKPOINT_INDEX,
  missingFiles,
  SAVED_MODEL_PB,
  usesVariables,
  type FolderFacts,
} from '../core/artifact/required-files';
import { servingSignature, SERVING_SIGNATURE, type SignatureTensorFacts } from '../core/artifact/serving-signature';
import { classifyError } from '../core/errors';
import { checkGoldenSize, parseGoldenSet } from '../core/validation/golden-set';
import { goldenSetLocation } from '../core/validation/golden-location';
import type { Workflow } from '../core/workflow/types';
import type { WorkflowSet } from '../core/workflow/workflow-set';
import type { ArtifactChecker, ObjectInfo, ObjectReader, StaticCheckResult } from '../pipeline/ports';
import { dtypeFromTf, parseInstances, type InputSpec } from '../runtime/instances';
import { gcsArtifactFiles } from './gcs/gcs-artifact-files';

/**
 * Checksumming streams every shard in chunks, so memory no longer bounds it; time does. onArtifact
 * has 300 s (terraform/functions.tf); at a conservative 50 MB/s from Storage into one vCPU (crc32c
 * itself runs near 1 GB/s: `npm run bench -- checkpoint-stream`), 8 GiB takes about 170 s. Above
 * this, completeness and sizes only (from the listing), and the report says crcChecked: false.
 */
export const CRC_CHECK_LIMIT_BYTES = 8 * 1024 ** 3;

/**
 * The static checks over an artifact in Cloud Storage. Only I/O lives here: it reads, stats and
 * lists, turns what it read into plain data, and asks core (`core/artifact/*`) for the verdict.
 * Reader errors become problems (the artifact is rejected with the reason), never crashes; a
 * transient Storage error is thrown instead, so the event is retried rather than the model rejected.
 */
export class StorageArtifactChecker implements ArtifactChecker {
  constructor(
    private readonly objects: ObjectReader,
    private readonly workflows: () => WorkflowSet,
  ) {}

  async missingFiles(workflowName: string, bucket: string, root: string, listing: ObjectInfo[]): Promise<string[]> {
    const facts: FolderFacts = {
      present: new Set(listing.map((o) => o.name.slice(root.length))),
      goldenSet: this.workflows().byName(workflowName)?.validation.goldenSet ?? '',
    };
    if (!facts.present.has(SAVED_MODEL_PB)) return missingFiles(facts);
    const model = await readOrUndefined(async () =>
      decodeSavedModel(
        await this.objects.read(bucket, `${root}${SAVED_MODEL_PB}`),
        `gs://${bucket}/${root}${SAVED_MODEL_PB}`,
      ),
    );
    if (model) {
      facts.assets = model.metaGraphs.flatMap((graph) => graph.assetFileDef.map((asset) => asset.filename ?? ''));
      facts.hasVariables = model.metaGraphs.some((graph) =>
        usesVariables((graph.graphDef?.node ?? []).map((node) => node.op ?? '')),
      );
      if (facts.present.has(CHECKPOINT_INDEX)) {
        const index = await readOrUndefined(async () =>
          readCheckpointIndex(await this.objects.read(bucket, `${root}${CHECKPOINT_INDEX}`)),
        );
        if (index)
          facts.shardNames = Array.from({ length: index.numShards }, (_, shard) =>
            shardFileName(shard, index.numShards),
          );
      }
    }
    return missingFiles(facts);
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
        const tooBig = tfliteSizeProblem(
          `gs://${bucket}/${root}`,
          info?.size ?? 0,
          workflow.mobile?.maxSizeBytes ?? Infinity,
          workflow.file,
        );
        if (tooBig.length > 0) return { problems: tooBig, facts: {} };
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
      if (!(await this.objects.stat(where.bucket, where.name)))
        problems.push(goldenSetNotFound(`gs://${where.bucket}/${where.name}`, workflow.file));
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
    const serving = servingSignature(report.location, report.metaGraphs);
    problems.push(...serving.problems);
    if (serving.signature)
      problems.push(...(await this.goldenProblems(workflow, bucket, root, serving.signature.inputs)));
    return {
      problems,
      facts: {
        tensorflowVersion: serving.graph?.tensorflowVersion,
        signature: serving.signature ?? null,
        variables: report.variables,
      },
    };
  }

  /** Reads the golden set (its size from metadata first) and asks core whether its instances fit. */
  private async goldenProblems(
    workflow: Workflow,
    bucket: string,
    root: string,
    inputs: Record<string, SignatureTensorFacts>,
  ): Promise<string[]> {
    const where = goldenSetLocation(workflow.validation.goldenSet, bucket, root);
    const uri = `gs://${where.bucket}/${where.name}`;
    const info = await this.objects.stat(where.bucket, where.name);
    if (!info) return [goldenSetNotFound(uri, workflow.file)];
    try {
      checkGoldenSize(info.size, uri); // from the metadata: an oversized file is never downloaded
      const golden = parseGoldenSet(await this.objects.read(where.bucket, where.name), uri);
      const specs = inputSpecs(inputs);
      return goldenFitProblems(uri, golden, fitsSignature(specs), Object.keys(specs));
    } catch (error) {
      rethrowTransient(error);
      return [`${uri}: ${(error as Error).message} (against the ${SERVING_SIGNATURE} signature)`];
    }
  }
}

/** Signature tensors → the runtime's input specs; the batch dimension takes any size. */
function inputSpecs(inputs: Record<string, SignatureTensorFacts>): Record<string, InputSpec> {
  const specs: Record<string, InputSpec> = {};
  for (const [key, t] of Object.entries(inputs))
    specs[key] = {
      dtype: dtypeFromTf(t.dtype),
      shape: t.shape === null ? null : t.shape.map((d, i) => (i === 0 ? -1 : d)),
    };
  return specs;
}

/** One instance against the specs, through the same parser the prediction path uses. */
function fitsSignature(specs: Record<string, InputSpec>): (instance: unknown) => string | undefined {
  return (instance) => {
    try {
      parseInstances([instance], specs);
      return undefined;
    } catch (error) {
      return (error as Error).message.replace('instances[0]', 'instance');
    }
  };
}

/** The value, or undefined when the file is unreadable (a transient read error is rethrown). */
async function readOrUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    rethrowTransient(error);
    return undefined;
  }
}

/** A read that failed for now (429, 503, a reset) is no verdict on the artifact: retry the event. */
function rethrowTransient(error: unknown): void {
  if (classifyError(error) === 'transient') throw error;
}
