import { PortError, classifyError } from '../../../../../functions/core/errors';
import { parseWorkflow } from '../../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../../functions/core/workflow/workflow-set';
import type { DeployRequest, Endpoints } from '../../../../../functions/pipeline/ports';
import { deployModelStage } from '../../../../../functions/pipeline/stages/deploy-model';
import { TOPICS } from '../../../../../functions/pipeline/topics';
import { fixedClock } from '../../../../helpers/memory-ports';
import { sampleRun } from '../../../../helpers/sample-run';
import { MemoryRegistry } from '../../../../helpers/memory-vertex-ops';

const ENDPOINT = 'projects/p/locations/l/endpoints/1';
const workflows = new WorkflowSet([
  parseWorkflow(
    'name: flowers\nmatch: models/flowers/{version}/\nartifact: savedmodel\nmodel: {displayName: flowers}\nendpoint: {displayName: flowers}\nvalidation: {goldenSet: g.jsonl}\n',
    'flowers.yaml',
  ),
]);
/** Not called by a SavedModel run's deploy: only a rollback run moves aliases here. */
const registry = new MemoryRegistry();
const registered = sampleRun({
  state: 'registered',
  model: {
    name: 'projects/p/locations/l/models/9',
    versionId: '2',
    versionName: 'projects/p/locations/l/models/9@2',
    servingImage: 'img',
  },
});

/** ferry's own Endpoints port with one incumbent at 100 %, whose DeployModel answers with `deploy`. */
function endpoints(deploy: (request: DeployRequest) => Promise<string>): Endpoints {
  const info = {
    name: ENDPOINT,
    trafficSplit: { '111': 100 },
    deployedModels: [{ id: '111', model: 'm', modelVersionId: '1', displayName: 'v1' }],
  };
  const unused = async () => {
    throw new Error('not used');
  };
  return {
    find: async () => info,
    getOrCreate: async () => info,
    get: async () => info,
    deploy,
    undeploy: unused,
    setSplit: unused,
    operation: unused,
  };
}

describe('deployModelStage', () => {
  it('deploys at the canary percent and scales the incumbent', async () => {
    const requests: DeployRequest[] = [];
    const stage = deployModelStage({
      endpoints: endpoints(async (r) => (requests.push(r), 'op/1')),
      registry,
      workflows,
      clock: fixedClock(),
    });
    const run = await stage.work(registered);
    expect(requests[0].trafficSplit).toEqual({ '0': 10, '111': 90 });
    expect(run).toMatchObject({ state: 'deploying', deployment: { operation: 'op/1', previousSplit: { '111': 100 } } });
  });

  it('follows the endpoint when an earlier attempt deployed the same id (already-exists)', async () => {
    const stage = deployModelStage({
      endpoints: endpoints(async () => Promise.reject(new PortError('already-exists', `${ENDPOINT}: exists`))),
      registry,
      workflows,
      clock: fixedClock(),
    });
    const run = await stage.work(registered);
    expect(run.state).toBe('deploying');
    expect(run.deployment?.operation).toBeUndefined();
  });

  // Found by the chaos suite (seed 2): a retry while the first attempt's DeployModel was still
  // running got FAILED_PRECONDITION, which ended the run failed instead of waiting. The Vertex
  // adapter reports it as `busy` (contract test: vertex-adapters.test.ts).
  it('retries the delivery while another operation runs on the endpoint (busy)', async () => {
    const busy = new PortError(
      'busy',
      `${ENDPOINT}: 9 FAILED_PRECONDITION: Endpoint ${ENDPOINT} has an operation in progress; retry when it is done.`,
    );
    const stage = deployModelStage({
      endpoints: endpoints(async () => Promise.reject(busy)),
      registry,
      workflows,
      clock: fixedClock(),
    });
    const error = await stage.work(registered).catch((e: unknown) => e);
    expect(classifyError(error)).toBe('transient');
    expect((error as Error).message).toMatch(/endpoints\/1: .*operation in progress/);
  });

  it.each([
    ['a refused request (invalid)', new PortError('invalid', `${ENDPOINT}: 3 INVALID_ARGUMENT: bad machine type`)],
    ['an unknown model (not-found)', new PortError('not-found', `${ENDPOINT}: 5 NOT_FOUND: no such model`)],
    ['an untranslated client error', Object.assign(new Error('3 INVALID_ARGUMENT: bad machine type'), { code: 3 })],
  ])('lets a permanent error through: %s', async (_name, refusal) => {
    const stage = deployModelStage({
      endpoints: endpoints(async () => Promise.reject(refusal)),
      registry,
      workflows,
      clock: fixedClock(),
    });
    const error = await stage.work(registered).catch((e: unknown) => e);
    expect(error).toBe(refusal);
    expect(classifyError(error)).toBe('permanent');
  });

  it('records a CreateEndpoint that is not done at once, and follows it on a retry instead of creating again', async () => {
    const operation = 'projects/p/locations/l/endpoints/ferry-flowers/operations/5';
    let creates = 0;
    let done = false;
    const creating: Endpoints = {
      ...endpoints(async () => 'op/1'),
      getOrCreate: async () => {
        creates += 1;
        return { operation };
      },
      operation: async () => ({ done }),
    };
    const stage = deployModelStage({ endpoints: creating, registry, workflows, clock: fixedClock() });
    const recorded = await stage.work(registered);
    expect(recorded).toMatchObject({
      state: 'registered',
      pendingOperation: { kind: 'creating-endpoint', name: operation },
    });
    expect(stage.next(recorded)).toEqual([
      { topic: TOPICS.operationPending, data: expect.objectContaining({ purpose: 'create-endpoint', operation }) },
    ]);
    const retried = await stage.work(recorded);
    expect(retried).toEqual(recorded);
    expect(creates).toBe(1);
    done = true;
    creating.getOrCreate = endpoints(async () => 'op/1').getOrCreate;
    const deploying = await stage.work(recorded);
    expect(deploying.state).toBe('deploying');
    expect(deploying.pendingOperation).toBeUndefined();
  });
});
