import { request } from 'node:https';
import { createEmulatorAgent } from '../../../../emulators/firebase-ml/emulator-agent';
import {
  startFirebaseMlEmulator,
  type FirebaseMlEmulator,
} from '../../../../emulators/firebase-ml/firebase-ml-emulator';
import { exchangeJwt } from '../../../../emulators/firebase-ml/token-exchange';
import { readClientConfig } from '../../../../emulators/firebase-ml/client-config';

describe('createEmulatorAgent', () => {
  let emulator: FirebaseMlEmulator;
  beforeAll(async () => {
    emulator = await startFirebaseMlEmulator({ projectId: 'ferry-agent', readObject: async () => new Uint8Array(0) });
  });
  afterAll(() => emulator.stop());

  function get(url: string, caPem: string): Promise<number> {
    const agent = createEmulatorAgent('127.0.0.1', emulator.port, caPem, { keepAlive: false });
    return new Promise<number>((resolve, reject) => {
      const req = request(url, { agent }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    }).finally(() => agent.destroy());
  }

  test('routes a googleapis.com URL to the emulator, verifying TLS for that host name', async () => {
    expect(await get('https://firebaseml.googleapis.com/v1beta2/projects/ferry-agent/models', emulator.caPem)).toBe(
      401,
    );
  });

  test('a host the certificate does not cover fails TLS verification', async () => {
    await expect(get('https://example.com/', emulator.caPem)).rejects.toThrow(/altnames/i);
  });

  test('another CA fails TLS verification', async () => {
    const other = await startFirebaseMlEmulator({ projectId: 'x', readObject: async () => new Uint8Array(0) });
    try {
      await expect(get('https://firebaseml.googleapis.com/', other.caPem)).rejects.toThrow(/self.signed|certificate/i);
    } finally {
      await other.stop();
    }
  });

  describe('exchangeJwt', () => {
    test("trades an assertion signed with the emulator's key for an access token", async () => {
      const { account } = readClientConfig({ ...emulator.env });
      const agent = createEmulatorAgent('127.0.0.1', emulator.port, emulator.caPem);
      try {
        const token = await exchangeJwt(account, agent);
        expect(token.access_token).toMatch(/^ya29\.ferry-local\./);
        expect(token.expires_in).toBe(3600);
      } finally {
        agent.destroy();
      }
    });

    test("another emulator's key is refused, with the endpoint's reason", async () => {
      const other = await startFirebaseMlEmulator({
        projectId: 'ferry-agent',
        readObject: async () => new Uint8Array(0),
      });
      const agent = createEmulatorAgent('127.0.0.1', emulator.port, emulator.caPem);
      try {
        await expect(exchangeJwt(readClientConfig({ ...other.env }).account, agent)).rejects.toThrow(
          /token exchange at https:\/\/oauth2\.googleapis\.com\/token failed \(HTTP 400\): assertion: signature does not verify/,
        );
      } finally {
        agent.destroy();
        await other.stop();
      }
    });
  });
});
