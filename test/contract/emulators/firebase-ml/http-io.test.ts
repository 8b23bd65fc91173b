import { request } from 'node:https';
import { deleteApp, type App } from 'firebase-admin/app';
import {
  startFirebaseMlEmulator,
  type FirebaseMlEmulator,
} from '../../../../emulators/firebase-ml/firebase-ml-emulator';
import { MAX_BODY_BYTES } from '../../../../emulators/firebase-ml/http-io';
import { writeExampleTflite } from '../../../../functions/artifacts/tflite/write-example-tflite';
import { firebaseMlEmulatorApp } from '../../../../emulators/firebase-ml/sdk-app';

const PROJECT = 'ferry-wire';
const MODELS = `/v1beta2/projects/${PROJECT}/models`;

/** Raw HTTPS against the emulator, as a non-SDK client (or a hostile one) would call it. */
describe('Firebase ML emulator on the wire: request bodies, routes and projects', () => {
  let emulator: FirebaseMlEmulator;
  let app: App;
  let token: string;
  beforeAll(async () => {
    emulator = await startFirebaseMlEmulator({
      projectId: PROJECT,
      validationDelayMs: 0,
      readObject: async () => writeExampleTflite({ a: 1, b: 1 }),
    });
    app = firebaseMlEmulatorApp({ ...emulator.env });
    token = (await app.options.credential!.getAccessToken()).access_token;
    const target = await call('POST', MODELS, JSON.stringify({ displayName: 'patch_target' }));
    expect(target.json).toMatchObject({ response: { name: `projects/${PROJECT}/models/10000001` } });
  });
  afterAll(async () => {
    await deleteApp(app);
    await emulator.stop();
  });

  function call(
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: unknown }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: emulator.port,
          path,
          method,
          ca: emulator.caPem,
          servername: 'firebaseml.googleapis.com',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  test('a gs:// uri sent directly (the documented REST form) is accepted', async () => {
    const answer = await call(
      'POST',
      MODELS,
      JSON.stringify({ displayName: 'direct', tfliteModel: { gcsTfliteUri: 'gs://ferry-bucket/m.tflite' } }),
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      done: true,
      response: { displayName: 'direct', tfliteModel: { gcsTfliteUri: 'gs://ferry-bucket/m.tflite' } },
    });
  });

  test.each([
    ['invalid JSON', 'POST', MODELS, '{"displayName":', 400, 'INVALID_ARGUMENT', /invalid JSON/],
    ['a JSON array', 'POST', MODELS, '[1,2]', 400, 'INVALID_ARGUMENT', /JSON object/],
    ['displayName of the wrong type', 'POST', MODELS, '{"displayName": 7}', 400, 'INVALID_ARGUMENT', /displayName/],
    ['tags of the wrong type', 'POST', MODELS, '{"displayName": "t", "tags": "a"}', 400, 'INVALID_ARGUMENT', /tags/],
    ['patch without updateMask', 'PATCH', `${MODELS}/10000001`, '{}', 400, 'INVALID_ARGUMENT', /updateMask/],
    [
      'patch of an output-only field',
      'PATCH',
      `${MODELS}/10000001?updateMask=modelHash`,
      '{}',
      400,
      'INVALID_ARGUMENT',
      /modelHash/,
    ],
    [
      'published as a string',
      'PATCH',
      `${MODELS}/10000001?updateMask=state.published`,
      '{"state":{"published":"yes"}}',
      400,
      'INVALID_ARGUMENT',
      /state.published/,
    ],
    [
      'another project',
      'GET',
      '/v1beta2/projects/someone-else/models',
      undefined,
      403,
      'PERMISSION_DENIED',
      /someone-else/,
    ],
    [
      'an unknown route',
      'GET',
      '/v1/projects/x/models',
      undefined,
      404,
      'NOT_FOUND',
      /no such Firebase ML v1beta2 method/,
    ],
    ['an unsupported verb', 'PUT', `${MODELS}/10000001`, '{}', 404, 'NOT_FOUND', /PUT/],
    ['an unknown model', 'GET', `${MODELS}/999`, undefined, 404, 'NOT_FOUND', /models\/999/],
    [
      'an unknown operation',
      'GET',
      `/v1beta2/projects/${PROJECT}/operations/999`,
      undefined,
      404,
      'NOT_FOUND',
      /operations\/999/,
    ],
    [
      'a malformed percent-encoded id',
      'GET',
      `${MODELS}/%E0%A4%A`,
      undefined,
      400,
      'INVALID_ARGUMENT',
      /percent-encoding/,
    ],
    ['a negative pageSize', 'GET', `${MODELS}?pageSize=-3`, undefined, 400, 'INVALID_ARGUMENT', /pageSize/],
  ])('%s is refused with the Google REST error', async (_label, method, path, body, status, statusName, message) => {
    const answer = await call(method, path, body);
    expect(answer).toEqual({
      status,
      json: { error: { code: status, status: statusName, message: expect.stringMatching(message) } },
    });
  });

  test('an oversized body is refused from its declared length, and the server keeps serving', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
    const answer = await call('POST', MODELS, big);
    expect(answer).toEqual({
      status: 400,
      json: {
        error: expect.objectContaining({ status: 'INVALID_ARGUMENT', message: expect.stringMatching(/request body/) }),
      },
    });
    expect((await call('GET', MODELS)).status).toBe(200);
  });

  test('an oversized chunked body (no declared length) is refused too', async () => {
    const answer = await call('POST', MODELS, Buffer.alloc(MAX_BODY_BYTES + 10, 0x20), {
      'transfer-encoding': 'chunked',
    });
    expect(answer.status).toBe(400);
    expect((await call('GET', MODELS)).status).toBe(200);
  });

  test('injected latency delays the answer but does not change it', async () => {
    emulator.faults.addLatency('models.list', 50);
    const start = Date.now();
    const answer = await call('GET', MODELS);
    emulator.faults.reset();
    expect(answer.status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(45);
  });
});
