import type { ModelServiceClient } from '@google-cloud/aiplatform/build/src/v1';
import {
  isPending,
  type ModelRegistry,
  type ModelVersionRef,
  type OperationStatus,
  type PendingOperation,
  type UploadRequest,
  type CopyRequest,
} from '../../pipeline/ports';
import { RUN_LABEL, WORKFLOW_LABEL } from '../../core/labels';
import { operationPollOptions } from './operation-poll';
import { operationStatus, translated } from './port-errors';
import { locationOf } from './regional-clients';

interface ModelLike {
  name?: string | null;
  versionId?: string | null;
  versionAliases?: string[] | null;
}

function ref(model: ModelLike): ModelVersionRef {
  const name = model.name ?? '';
  const versionId = model.versionId ?? '';
  return { name, versionId, versionName: `${name}@${versionId}`, aliases: model.versionAliases ?? [] };
}

/**
 * Vertex AI Model Registry through the official ModelServiceClient, each call on the regional
 * client of the location its resource name (or `parent`) is in.
 * @see https://cloud.google.com/vertex-ai/docs/reference/rpc/google.cloud.aiplatform.v1#modelservice
 */
export class VertexModelRegistry implements ModelRegistry {
  constructor(
    /** The client for a location (default: the functions' own); names pick theirs with locationOf. */
    private readonly client: (location?: string) => ModelServiceClient,
    private readonly parent: () => string,
  ) {}

  async findModel(displayName: string, workflow: string, parent: string = this.parent()): Promise<string | undefined> {
    const [models] = await this.client(locationOf(parent)).listModels({
      parent,
      filter: `display_name="${displayName}" AND labels.${WORKFLOW_LABEL}="${workflow}"`,
    });
    return models[0]?.name ?? undefined;
  }

  async findVersionByRun(parentModel: string, runId: string): Promise<ModelVersionRef | undefined> {
    const [versions] = await this.client(locationOf(parentModel)).listModelVersions({
      name: parentModel,
      filter: `labels.${RUN_LABEL}="${runId}"`,
    });
    return versions[0] ? ref(versions[0]) : undefined;
  }

  /**
   * Starts UploadModel and waits only if it is already done: an upload can outlast the function,
   * so a running one is handed on (its version is invisible to findVersionByRun until it is done).
   * @see https://cloud.google.com/vertex-ai/docs/reference/rpc/google.cloud.aiplatform.v1#google.cloud.aiplatform.v1.ModelService.UploadModel
   */
  async upload(request: UploadRequest): Promise<ModelVersionRef | PendingOperation> {
    const parent = request.parent ?? this.parent();
    return startedVersion(request.parentModel ?? `${parent} (${request.displayName})`, request.aliases, () =>
      this.client(locationOf(parent)).uploadModel({
        parent,
        ...(request.parentModel ? { parentModel: request.parentModel } : {}),
        model: {
          displayName: request.displayName,
          description: request.description ?? '',
          artifactUri: request.artifactUri,
          containerSpec: { imageUri: request.servingImage },
          labels: request.labels,
          versionAliases: request.aliases,
        },
      }),
    );
  }

  /**
   * Starts CopyModel into `request.parent`, as a new version of `parentModel` when given; waits only
   * if it is already done, as `upload` does. CopyModel is called in the destination's location.
   * @see https://cloud.google.com/vertex-ai/docs/reference/rpc/google.cloud.aiplatform.v1#google.cloud.aiplatform.v1.ModelService.CopyModel
   */
  async copy(request: CopyRequest): Promise<ModelVersionRef | PendingOperation> {
    return startedVersion(request.sourceVersionName, [], () =>
      this.client(locationOf(request.parent)).copyModel({
        parent: request.parent,
        sourceModel: request.sourceVersionName,
        ...(request.parentModel ? { parentModel: request.parentModel } : {}),
      }),
    );
  }

  async operation(name: string, withinMs?: number): Promise<OperationStatus> {
    // The typings want the protobufjs class; a plain object is what the client sends anyway.
    const [operation] = await translated(name, () =>
      this.client(locationOf(name)).getOperation({ name } as never, operationPollOptions(withinMs)),
    );
    return operationStatus(operation);
  }

  /** GetModel on `model@version`: the version, with its `versionAliases`. */
  async aliasesOf(versionName: string): Promise<string[]> {
    const [model] = await translated(versionName, () =>
      this.client(locationOf(versionName)).getModel({ name: versionName }),
    );
    return model.versionAliases ?? [];
  }

  async mergeAliases(versionName: string, aliases: string[]): Promise<void> {
    await translated(versionName, () =>
      this.client(locationOf(versionName)).mergeVersionAliases({ name: versionName, versionAliases: aliases }),
    );
  }
}

/** What UploadModel and CopyModel both answer: the new version's model and id. */
interface VersionResponse {
  model?: string | null;
  modelVersionId?: string | null;
}

interface StartedOperation {
  done?: boolean | null;
  name?: string | null;
  promise(): Promise<[VersionResponse, ...unknown[]]>;
}

/**
 * Starts an operation that makes a model version and waits only if it is already done: it can
 * outlast the function, so a running one is handed on (the version is invisible until it is done).
 */
async function startedVersion(
  what: string,
  aliases: string[],
  start: () => Promise<[StartedOperation, ...unknown[]]>,
): Promise<ModelVersionRef | PendingOperation> {
  const response = await translated(what, async (): Promise<VersionResponse | PendingOperation> => {
    const [operation] = await start();
    if (!operation.done) return { operation: operation.name ?? '' };
    const [done] = await operation.promise();
    return done;
  });
  if (isPending(response)) return response;
  const name = response.model ?? '';
  return { name, versionId: response.modelVersionId ?? '', versionName: `${name}@${response.modelVersionId}`, aliases };
}
