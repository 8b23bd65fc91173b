import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InstancesError } from '../../../../../functions/runtime/errors';
import { loadSavedModel } from '../../../../../functions/runtime/savedmodel/load-saved-model';
import {
  modelNameFromLocation,
  tfServingPredict,
} from '../../../../../functions/runtime/savedmodel/tf-serving-predict';
import { savedModelFiles, tf2AffineSpec, trackingFiles } from './saved-model-builder';

interface Seen {
  method?: string;
  url?: string;
  body: unknown;
}

/** A tiny stand-in for TF Serving's REST API: computes 3x - 1 per instance, or answers as told. */
function startServer(
  answer?: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(text) as { instances: number[] };
      seen.push({ method: req.method, url: req.url, body });
      if (answer) return answer(req, res);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ predictions: body.instances.map((x) => 3 * x - 1) }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen });
    }),
  );
}

const stop = (server: Server) => new Promise((resolve) => server.close(resolve));

describe('tfServingPredict', () => {
  it('POSTs {signature_name, instances} to /v1/models/{name}:predict and returns predictions', async () => {
    const { server, url, seen } = await startServer();
    try {
      const predictions = await tfServingPredict(
        { baseUrl: `${url}/`, modelName: 'flowers', signatureName: 'serving_default' },
        [1, 2],
      );
      expect(predictions).toEqual([2, 5]);
      expect(seen).toEqual([
        {
          method: 'POST',
          url: '/v1/models/flowers:predict',
          body: { signature_name: 'serving_default', instances: [1, 2] },
        },
      ]);
    } finally {
      await stop(server);
    }
  });

  it.each([
    [
      "an HTTP error with TF Serving's {error}",
      (_: IncomingMessage, res: ServerResponse) => {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: 'Input to reshape is a tensor with 2 values' }));
      },
      /HTTP 400: Input to reshape is a tensor with 2 values/,
    ],
    [
      'a body that is not JSON',
      (_: IncomingMessage, res: ServerResponse) => {
        res.statusCode = 502;
        res.end('<html>bad gateway</html>');
      },
      /HTTP 502, body is not JSON: <html>bad gateway/,
    ],
    [
      'no predictions array',
      (_: IncomingMessage, res: ServerResponse) => {
        res.end(JSON.stringify({ outputs: [1] }));
      },
      /has no "predictions" array/,
    ],
    [
      'a wrong number of predictions',
      (_: IncomingMessage, res: ServerResponse) => {
        res.end(JSON.stringify({ predictions: [1] }));
      },
      /1 predictions for 2 instances/,
    ],
  ])('reports %s clearly', async (_, answer, message) => {
    const { server, url } = await startServer(answer);
    try {
      await expect(tfServingPredict({ baseUrl: url, modelName: 'm', signatureName: 's' }, [1, 2])).rejects.toThrow(
        message,
      );
    } finally {
      await stop(server);
    }
  });

  it('reports a server that does not answer, naming the setting to check', async () => {
    const { server, url } = await startServer();
    await stop(server);
    await expect(tfServingPredict({ baseUrl: url, modelName: 'm', signatureName: 's' }, [1])).rejects.toThrow(
      /did not answer: .*check FERRY_TF_SERVING_URL/,
    );
  });

  it.each([
    ['gs://bucket/models/flowers/7/', 'flowers'],
    ['/tmp/export/half_plus_two', 'half_plus_two'],
    ['gs://bucket/7', 'bucket'],
    ['mem://tracked', 'tracked'],
  ])('names the model of %s %s', (location, name) => {
    expect(modelNameFromLocation(location)).toBe(name);
  });
});

describe('loadSavedModel with TF Serving configured', () => {
  const saved = process.env.FERRY_TF_SERVING_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.FERRY_TF_SERVING_URL;
    else process.env.FERRY_TF_SERVING_URL = saved;
  });

  it.each(['option', 'environment'])(
    'delegates predict when the URL comes from the %s, reading only saved_model.pb',
    async (source) => {
      const { server, url, seen } = await startServer();
      try {
        if (source === 'environment') process.env.FERRY_TF_SERVING_URL = url;
        const { files, reads } = trackingFiles(savedModelFiles(tf2AffineSpec(3, -1)));
        const runner = await loadSavedModel(files, {
          tfServingUrl: source === 'option' ? url : undefined,
          modelName: 'affine',
        });
        expect(runner.backend).toBe(url);
        expect(runner.inputs.x).toEqual({ dtype: 'float32', shape: [-1], tensorName: 'serving_default_x:0' });
        expect(await runner.predict([1, 5])).toEqual([2, 14]);
        expect(seen.map((s) => s.url)).toEqual(['/v1/models/affine:predict']);
        expect(reads).toEqual(['saved_model.pb']);
        runner.dispose();
      } finally {
        await stop(server);
      }
    },
  );

  it('rejects malformed instances before sending anything', async () => {
    const { server, url, seen } = await startServer();
    try {
      const runner = await loadSavedModel(trackingFiles(savedModelFiles(tf2AffineSpec(3, -1))).files, {
        tfServingUrl: url,
      });
      await expect(runner.predict([1, 'x'])).rejects.toBeInstanceOf(InstancesError);
      expect(seen).toEqual([]);
    } finally {
      await stop(server);
    }
  });
});
