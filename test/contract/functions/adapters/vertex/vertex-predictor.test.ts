import { startVertexEmulator, type VertexEmulator } from '../../../../../emulators/vertex/vertex-emulator';
import { closeVertexClients, predictionClient, vertex } from '../../../../../functions/adapters/vertex/vertex-clients';
import { VertexPredictor } from '../../../../../functions/adapters/vertex/vertex-predictor';
import { classifyError, isPortError } from '../../../../../functions/core/errors';
import { GRPC } from '../../../../../functions/core/grpc-codes';
import { timesBackend } from '../../../emulators/vertex/fake-backend';

/**
 * What validation tells apart (functions/pipeline/stages/sample-endpoint.ts), as the official
 * PredictionServiceClient reports it: a refusal of the request (INVALID_ARGUMENT) is evidence about
 * the model, a 429 or 503 is the weather. Failures are injected (emulators/faults.ts).
 */
describe('VertexPredictor errors', () => {
  let emulator: VertexEmulator;
  let predictor: VertexPredictor;
  const endpoint = () => `${vertex().parent}/endpoints/1`;

  beforeAll(async () => {
    emulator = await startVertexEmulator({ backend: timesBackend(), project: 'p', deployDurationMs: 0 });
    process.env.FERRY_PROJECT = 'p';
    process.env.FERRY_VERTEX_EMULATOR = `127.0.0.1:${emulator.port}`;
    predictor = new VertexPredictor(predictionClient);
  });
  afterAll(async () => {
    await closeVertexClients();
    await emulator.stop();
  });

  it('reports INVALID_ARGUMENT as PortError invalid, naming the endpoint', async () => {
    emulator.faults.failNext('Predict', 1, GRPC.INVALID_ARGUMENT, 'Failed to process the prediction output.');
    const error = await predictor.predict(endpoint(), [{ x: [1] }]).catch((e: unknown) => e);
    expect(isPortError(error, 'invalid')).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`^${endpoint()}: 3 INVALID_ARGUMENT`));
  });

  it.each([
    ['429', GRPC.RESOURCE_EXHAUSTED],
    ['503', GRPC.UNAVAILABLE],
  ])('leaves a %s transient, untranslated', async (_http, code) => {
    emulator.faults.failNext('Predict', 1, code);
    const error = await predictor.predict(endpoint(), [{ x: [1] }]).catch((e: unknown) => e);
    expect(isPortError(error)).toBe(false);
    expect(classifyError(error)).toBe('transient');
  });
});
