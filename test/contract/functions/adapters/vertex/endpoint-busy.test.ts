import { startVertexEmulator, type VertexEmulator } from '../../../../../emulators/vertex/vertex-emulator';
import {
  closeVertexClients,
  endpointClient,
  modelClient,
  vertex,
} from '../../../../../functions/adapters/vertex/vertex-clients';
import { VertexEndpoints } from '../../../../../functions/adapters/vertex/vertex-endpoints';
import { classifyError } from '../../../../../functions/core/errors';
import { timesBackend } from '../../../emulators/vertex/fake-backend';
import { deployRequest } from './deploy-request';
import { settled } from './settled';

/** How long the emulator's undeploy runs: long enough to send a second mutation meanwhile. */
const UNDEPLOY_MS = 400;
const FIRST = '1111111111';
const SECOND = '2222222222';

/**
 * An endpoint-busy refusal (FAILED_PRECONDITION while another operation runs on the endpoint) is
 * `busy`, hence transient, for every endpoint mutation ferry makes; the emulator refuses them as
 * Vertex does (test/contract/emulators/vertex/endpoint-busy.test.ts).
 */
describe('VertexEndpoints against a busy endpoint', () => {
  let emulator: VertexEmulator;
  let endpoints: VertexEndpoints;
  let endpoint: string;

  beforeAll(async () => {
    emulator = await startVertexEmulator({ backend: timesBackend(), project: 'p' });
    process.env.FERRY_PROJECT = 'p';
    process.env.FERRY_VERTEX_EMULATOR = `127.0.0.1:${emulator.port}`;
    endpoints = new VertexEndpoints(endpointClient, () => vertex().parent);
    const [upload] = await modelClient().uploadModel({
      parent: vertex().parent,
      model: { displayName: 'flowers', artifactUri: 'gs://a/times-2/', containerSpec: { imageUri: 'img' } },
    });
    const [uploaded] = await upload.promise();
    endpoint = (await settled(endpoints.getOrCreate('flowers', 'flowers'))).name;
    for (const [id, split] of [
      [FIRST, { '0': 100 }],
      [SECOND, { [FIRST]: 100, '0': 0 }],
    ] as const) {
      const operation = await endpoints.deploy(deployRequest(endpoint, `${uploaded.model}@1`, id, split));
      expect(await endpoints.operation(operation)).toMatchObject({ done: true });
    }
  });
  afterAll(async () => {
    await closeVertexClients();
    await emulator.stop();
  });

  it('reports an undeploy or a split update refused during an undeploy as busy, naming the endpoint', async () => {
    emulator.setOperationDuration('UndeployModel', UNDEPLOY_MS);
    try {
      const running = await endpoints.undeploy(endpoint, SECOND, { [FIRST]: 100 });
      expect((await endpoints.operation(running)).done).toBe(false);
      const undeploy = await endpoints.undeploy(endpoint, FIRST, {}).catch((e: unknown) => e);
      const split = await endpoints.setSplit(endpoint, { [FIRST]: 100 }).catch((e: unknown) => e);
      expect(split).toMatchObject({ name: 'PortError', kind: 'busy', message: expect.stringContaining(endpoint) });
      expect(classifyError(split)).toBe('transient');
      // Without a split, FAILED_PRECONDITION may also mean "it still takes traffic": not retried.
      expect(undeploy).toMatchObject({ code: 9 });
      expect(classifyError(undeploy)).toBe('permanent');
      const busyUndeploy = await endpoints.undeploy(endpoint, SECOND, { [FIRST]: 100 }).catch((e: unknown) => e);
      expect(busyUndeploy).toMatchObject({ name: 'PortError', kind: 'busy' });
      expect(classifyError(busyUndeploy)).toBe('transient');
      while (!(await endpoints.operation(running)).done) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      emulator.setOperationDuration('UndeployModel', 0);
    }
  });
});
