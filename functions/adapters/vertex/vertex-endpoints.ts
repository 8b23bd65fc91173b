import type { EndpointServiceClient } from '@google-cloud/aiplatform/build/src/v1';
import type { TrafficSplit } from '../../core/traffic-split';
import type { DeployRequest, EndpointInfo, Endpoints, OperationStatus, PendingOperation } from '../../pipeline/ports';
import { WORKFLOW_LABEL } from '../../core/labels';
import { isPortError } from '../../core/errors';
import { operationPollOptions } from './operation-poll';
import { operationStatus, translated, type Translation } from './port-errors';
import { locationOf } from './regional-clients';

interface EndpointLike {
  name?: string | null;
  etag?: string | null;
  trafficSplit?: Record<string, number> | null;
  deployedModels?: Array<{
    id?: string | null;
    model?: string | null;
    modelVersionId?: string | null;
    displayName?: string | null;
  }> | null;
}

/**
 * Vertex runs one mutation of an endpoint at a time and refuses another meanwhile with
 * FAILED_PRECONDITION ("retry when it is done"): `busy`, which core/errors classifies transient.
 */
const ENDPOINT_BUSY: Translation = { failedPrecondition: 'busy' };

function info(endpoint: EndpointLike): EndpointInfo {
  return {
    name: endpoint.name ?? '',
    etag: endpoint.etag ?? undefined,
    trafficSplit: Object.fromEntries(Object.entries(endpoint.trafficSplit ?? {}).filter(([, pct]) => pct > 0)),
    deployedModels: (endpoint.deployedModels ?? []).map((d) => ({
      id: d.id ?? '',
      model: d.model ?? '',
      modelVersionId: d.modelVersionId ?? '',
      displayName: d.displayName ?? '',
    })),
  };
}

/**
 * Vertex AI endpoints through the official EndpointServiceClient. Deploy and undeploy return the
 * operation's name without waiting: the pipeline follows operations across invocations. Errors
 * reach the pipeline as PortErrors (port-errors.ts): NOT_FOUND → not-found, ALREADY_EXISTS →
 * already-exists, INVALID_ARGUMENT → invalid, and FAILED_PRECONDITION on DeployModel, UndeployModel
 * (with a split) and UpdateEndpoint → busy. Every call goes to the regional client of the location
 * its resource name (or `parent`) is in.
 * @see https://cloud.google.com/vertex-ai/docs/reference/rpc/google.cloud.aiplatform.v1#endpointservice
 */
export class VertexEndpoints implements Endpoints {
  constructor(
    /** The client for a location (default: the functions' own); names pick theirs with locationOf. */
    private readonly client: (location?: string) => EndpointServiceClient,
    private readonly parent: () => string,
  ) {}

  /**
   * One endpoint per workflow and location (`parent`, default the functions' own), with an id
   * derived from the workflow (`ferry-<workflow>`), so two first versions racing cannot create two
   * endpoints: the second create gets ALREADY_EXISTS.
   */
  endpointName(workflow: string, parent: string = this.parent()): string {
    return `${parent}/endpoints/ferry-${workflow}`;
  }

  /** The workflow's endpoint if it exists (`ferry plan` looks without creating). */
  async find(_displayName: string, workflow: string, parent?: string): Promise<EndpointInfo | undefined> {
    try {
      return await this.get(this.endpointName(workflow, parent));
    } catch (error) {
      if (isPortError(error, 'not-found')) return undefined;
      throw error;
    }
  }

  /**
   * A CreateEndpoint not done at once is handed on (its operation returned), never waited on.
   * @see https://cloud.google.com/vertex-ai/docs/reference/rpc/google.cloud.aiplatform.v1#google.cloud.aiplatform.v1.EndpointService.CreateEndpoint
   */
  async getOrCreate(
    displayName: string,
    workflow: string,
    parent: string = this.parent(),
  ): Promise<EndpointInfo | PendingOperation> {
    const found = await this.find(displayName, workflow, parent);
    if (found) return found;
    const name = this.endpointName(workflow, parent);
    try {
      return await translated(name, async () => {
        const [operation] = await this.client(locationOf(parent)).createEndpoint({
          parent,
          endpointId: `ferry-${workflow}`,
          endpoint: { displayName, labels: { [WORKFLOW_LABEL]: workflow } },
        });
        if (!operation.done) return { operation: operation.name ?? '' };
        const [endpoint] = await operation.promise();
        return info(endpoint);
      });
    } catch (error) {
      if (!isPortError(error, 'already-exists')) throw error;
      return this.get(name);
    }
  }

  async get(endpoint: string): Promise<EndpointInfo> {
    const [found] = await translated(endpoint, () => this.client(locationOf(endpoint)).getEndpoint({ name: endpoint }));
    return info(found);
  }

  async deploy(request: DeployRequest): Promise<string> {
    const deploy = () =>
      this.client(locationOf(request.endpoint)).deployModel({
        endpoint: request.endpoint,
        deployedModel: {
          id: request.deployedModelId,
          model: request.model,
          displayName: request.displayName,
          dedicatedResources: {
            machineSpec: { machineType: request.machineType },
            minReplicaCount: request.minReplicas,
            maxReplicaCount: request.maxReplicas,
          },
        },
        trafficSplit: request.trafficSplit,
      });
    const [operation] = await translated(request.endpoint, deploy, ENDPOINT_BUSY);
    return operation.name ?? '';
  }

  /**
   * With a split given, the only precondition left is an idle endpoint, so FAILED_PRECONDITION is
   * `busy`; without one it can also mean "the model still takes traffic", which no retry fixes.
   */
  async undeploy(endpoint: string, deployedModelId: string, trafficSplit: TrafficSplit): Promise<string> {
    const [operation] = await translated(
      `${endpoint} (deployed model ${deployedModelId})`,
      () => this.client(locationOf(endpoint)).undeployModel({ endpoint, deployedModelId, trafficSplit }),
      Object.keys(trafficSplit).length > 0 ? ENDPOINT_BUSY : {},
    );
    return operation.name ?? '';
  }

  async setSplit(endpoint: string, trafficSplit: TrafficSplit): Promise<void> {
    await translated(
      endpoint,
      () =>
        this.client(locationOf(endpoint)).updateEndpoint({
          endpoint: { name: endpoint, trafficSplit },
          updateMask: { paths: ['traffic_split'] },
        }),
      ENDPOINT_BUSY,
    );
  }

  async operation(name: string, withinMs?: number): Promise<OperationStatus> {
    // The typings want the protobufjs class; a plain object is what the client sends anyway.
    const [operation] = await this.client(locationOf(name)).getOperation(
      { name } as never,
      operationPollOptions(withinMs),
    );
    return operationStatus(operation);
  }
}
