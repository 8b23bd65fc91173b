import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRemoteConfig, type RemoteConfig, type RemoteConfigTemplate } from 'firebase-admin/remote-config';
import { createEmulatorAgent } from '../../../../emulators/firebase-ml/emulator-agent';
import { startRemoteConfig, type RemoteConfigFixture } from '../../../helpers/remote-config-emulator';

const PERCENT = { name: 'ferry_rollout', expression: "percent('seed-1') between 0 and 5" };

/** A template as ferry writes one: a parameter whose conditional value points 5 % at the candidate. */
function rolloutTemplate(base: RemoteConfigTemplate, candidate = 'flowers_v2'): RemoteConfigTemplate {
  return {
    etag: base.etag, // a getter on firebase-admin's template: a spread would drop it
    conditions: [PERCENT],
    parameters: {
      flowers_model: {
        defaultValue: { value: 'flowers_v1' },
        conditionalValues: { ferry_rollout: { value: candidate } },
      },
    },
    parameterGroups: {},
  };
}

describe('Remote Config emulator, driven by firebase-admin over TLS', () => {
  let fx: RemoteConfigFixture;
  let rc: RemoteConfig;
  beforeEach(async () => {
    fx = await startRemoteConfig();
    rc = getRemoteConfig(fx.app);
  });
  afterEach(() => fx.stop());

  /** A request the SDK cannot make (no If-Match, broken JSON, another project), with the app's own token. */
  async function raw(
    method: string,
    path: string,
    options: { body?: string; ifMatch?: string } = {},
  ): Promise<{ status: number; etag?: string; json: { error?: { code: number; status: string; message: string } } }> {
    const token = (await fx.app.options.credential!.getAccessToken()).access_token;
    const agent = createEmulatorAgent('127.0.0.1', fx.emulator.port, fx.emulator.caPem, { keepAlive: false });
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
    return new Promise((resolve, reject) => {
      const req = request(`https://firebaseremoteconfig.googleapis.com${path}`, { method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            etag: res.headers.etag,
            json: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
          }),
        );
      });
      req.on('error', reject);
      req.end(options.body);
    }).finally(() => agent.destroy()) as never;
  }

  test('a project that never published has version 0: an empty template and etag-<number>-0', async () => {
    const template = await rc.getTemplate();
    expect(template.etag).toBe(`etag-${fx.remoteConfig.projectNumber}-0`);
    expect(template.conditions).toEqual([]);
    expect(template.parameters).toEqual({});
    expect(template.version).toBeUndefined();
  });

  test('publish with the ETag makes version 1, set by the service (user, time, origin, type); get reads it back', async () => {
    const published = await rc.publishTemplate({
      ...rolloutTemplate(await rc.getTemplate()),
      version: { description: 'ferry: flowers 5%' },
    } as RemoteConfigTemplate);
    expect(published.etag).toBe(`etag-${fx.remoteConfig.projectNumber}-1`);
    expect(published.version).toMatchObject({
      versionNumber: '1',
      description: 'ferry: flowers 5%',
      updateOrigin: 'ADMIN_SDK_NODE',
      updateType: 'INCREMENTAL_UPDATE',
      updateUser: { email: 'ferry-local@ferry-rc.iam.gserviceaccount.com' },
    });
    expect(Date.parse(published.version!.updateTime!)).not.toBeNaN();
    const read = await rc.getTemplate();
    expect(read.etag).toBe(published.etag);
    expect(read.conditions).toEqual([PERCENT]);
    expect(read.parameters.flowers_model.conditionalValues).toEqual({ ferry_rollout: { value: 'flowers_v2' } });
    expect(fx.remoteConfig.calls().find((c) => c.method === 'remoteConfig.update')?.ifMatch).toBe(
      `etag-${fx.remoteConfig.projectNumber}-0`,
    );
  });

  test("validateTemplate publishes nothing; the wire ETag has the -0 suffix firebase-admin expects, and the SDK hands back the template's own", async () => {
    const template = rolloutTemplate(await rc.getTemplate());
    const validated = await rc.validateTemplate(template);
    expect(validated.etag).toBe(template.etag);
    expect(fx.remoteConfig.versions()).toEqual([]);
    const wire = await raw('PUT', '/v1/projects/ferry-rc/remoteConfig?validate_only=true', {
      body: JSON.stringify({ conditions: [PERCENT] }),
      ifMatch: template.etag,
    });
    expect(wire).toMatchObject({ status: 200, etag: `etag-${fx.remoteConfig.projectNumber}-0` });
  });

  describe('ETag conflicts: a template changed since it was read is never overwritten', () => {
    test('publish with a stale ETag: HTTP 412 FAILED_PRECONDITION [VERSION_MISMATCH] (remote-config/failed-precondition); the console edit stays', async () => {
      const read = await rc.getTemplate();
      fx.remoteConfig.editAsConsole((content) => ({
        ...content,
        parameters: { welcome: { defaultValue: { value: 'hi' } } },
      }));
      const error = await rc.publishTemplate(rolloutTemplate(read)).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'remote-config/failed-precondition' });
      expect((error as Error).message).toMatch(/^\[VERSION_MISMATCH\]: .*does not match the current ETag/);
      const now = await rc.getTemplate();
      expect(Object.keys(now.parameters)).toEqual(['welcome']);
      expect(now.version).toMatchObject({ versionNumber: '1', updateOrigin: 'CONSOLE', updateType: 'FORCED_UPDATE' });
    });

    test('validateTemplate with a stale ETag fails the same way', async () => {
      const read = await rc.getTemplate();
      fx.remoteConfig.editAsConsole((content) => content);
      await expect(rc.validateTemplate(rolloutTemplate(read))).rejects.toMatchObject({
        code: 'remote-config/failed-precondition',
      });
    });

    test("no If-Match at all: 412 with the service's own text; an invalid one: 412 too", async () => {
      const none = await raw('PUT', '/v1/projects/ferry-rc/remoteConfig', { body: '{}' });
      expect(none.status).toBe(412);
      expect(none.json.error).toEqual({
        code: 412,
        status: 'FAILED_PRECONDITION',
        message: '[VERSION_MISMATCH]: No If-Match header found on UpdateRemoteConfig call',
      });
      // The service's answer to a malformed ETag is not documented; the emulator treats it as a mismatch.
      const bad = await raw('PUT', '/v1/projects/ferry-rc/remoteConfig', { body: '{}', ifMatch: 'not-an-etag' });
      expect(bad.status).toBe(412);
      expect(fx.remoteConfig.versions()).toEqual([]);
    });

    test('force (If-Match: *) publishes over a change: updateType FORCED_UPDATE', async () => {
      const read = await rc.getTemplate();
      fx.remoteConfig.editAsConsole((content) => content);
      const forced = await rc.publishTemplate(rolloutTemplate(read), { force: true });
      expect(forced.version).toMatchObject({ versionNumber: '2', updateType: 'FORCED_UPDATE' });
    });
  });

  describe('versions', () => {
    async function publishThree(): Promise<void> {
      for (const candidate of ['a', 'b', 'c'])
        await rc.publishTemplate(rolloutTemplate(await rc.getTemplate(), candidate));
    }

    test('getTemplateAtVersion reads an older version; an unknown one is not-found', async () => {
      await publishThree();
      const first = await rc.getTemplateAtVersion(1);
      expect(first.parameters.flowers_model.conditionalValues).toEqual({ ferry_rollout: { value: 'a' } });
      expect(first.etag).toBe(`etag-${fx.remoteConfig.projectNumber}-1`);
      await expect(rc.getTemplateAtVersion(9)).rejects.toMatchObject({ code: 'remote-config/not-found' });
    });

    test('listVersions: newest first, pageSize and pageToken, endVersionNumber', async () => {
      await publishThree();
      const first = await rc.listVersions({ pageSize: 2 });
      expect(first.versions.map((v) => v.versionNumber)).toEqual(['3', '2']);
      expect(first.nextPageToken).toBeDefined();
      const second = await rc.listVersions({ pageSize: 2, pageToken: first.nextPageToken });
      expect(second.versions.map((v) => v.versionNumber)).toEqual(['1']);
      expect(second.nextPageToken).toBeUndefined();
      const upTo2 = await rc.listVersions({ endVersionNumber: 2 });
      expect(upTo2.versions.map((v) => v.versionNumber)).toEqual(['2', '1']);
    });

    test('listVersions: startTime keeps versions updated at or after it, endTime those before it', async () => {
      let clock = Date.parse('2026-11-01T00:00:00Z');
      const timed = await startRemoteConfig({ now: () => clock });
      try {
        const trc = getRemoteConfig(timed.app);
        for (const day of [1, 2, 3]) {
          clock = Date.parse(`2026-11-0${day}T12:00:00Z`);
          await trc.publishTemplate(rolloutTemplate(await trc.getTemplate(), `day${day}`));
        }
        // firebase-admin takes Dates (or UTC strings) and sends RFC 3339.
        const numbers = async (range: { startTime?: string; endTime?: string }) => {
          const options = {
            ...(range.startTime ? { startTime: new Date(range.startTime) } : {}),
            ...(range.endTime ? { endTime: new Date(range.endTime) } : {}),
          };
          return (await trc.listVersions(options)).versions?.map((v) => v.versionNumber) ?? [];
        };
        expect(await numbers({ startTime: '2026-11-02T12:00:00Z' })).toEqual(['3', '2']);
        expect(await numbers({ endTime: '2026-11-02T12:00:00Z' })).toEqual(['1']);
        expect(await numbers({ startTime: '2026-11-02T00:00:00Z', endTime: '2026-11-03T00:00:00Z' })).toEqual(['2']);
        expect(await numbers({ startTime: '2026-12-01T00:00:00Z' })).toEqual([]);
      } finally {
        await timed.stop();
      }
    });

    test('rollback makes a new version with the old content: updateType ROLLBACK, rollbackSource; unknown version: not-found', async () => {
      await publishThree();
      const rolled = await rc.rollback(1);
      expect(rolled.version).toMatchObject({ versionNumber: '4', updateType: 'ROLLBACK', rollbackSource: '1' });
      expect(rolled.parameters.flowers_model.conditionalValues).toEqual({ ferry_rollout: { value: 'a' } });
      expect((await rc.getTemplate()).etag).toBe(`etag-${fx.remoteConfig.projectNumber}-4`);
      await expect(rc.rollback(42)).rejects.toMatchObject({ code: 'remote-config/not-found' });
    });
  });

  test('malformed JSON: 400 INVALID_ARGUMENT', async () => {
    const answer = await raw('PUT', '/v1/projects/ferry-rc/remoteConfig', { body: '{"conditions": [', ifMatch: '*' });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({
      status: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/invalid JSON/i),
    });
  });

  test('another project: 404 NOT_FOUND; the project number reaches the same template', async () => {
    const other = await raw('GET', '/v1/projects/someone-else/remoteConfig');
    expect(other.status).toBe(404);
    expect(other.json.error?.status).toBe('NOT_FOUND');
    const byNumber = await raw('GET', `/v1/projects/${fx.remoteConfig.projectNumber}/remoteConfig`);
    expect(byNumber).toMatchObject({ status: 200, etag: `etag-${fx.remoteConfig.projectNumber}-0` });
  });

  describe('faults (emulators/faults.ts), per method', () => {
    test('429 on the next call: remote-config/resource-exhausted, then the call goes through', async () => {
      fx.remoteConfig.faults.failNext('remoteConfig.get', 1, 429);
      await expect(rc.getTemplate()).rejects.toMatchObject({ code: 'remote-config/resource-exhausted' });
      await expect(rc.getTemplate()).resolves.toBeDefined();
    });

    test('one 503: firebase-admin retries it by itself (its default retry config) and succeeds', async () => {
      fx.remoteConfig.faults.failNext('remoteConfig.update', 1, 503);
      const published = await rc.publishTemplate(rolloutTemplate(await rc.getTemplate()));
      expect(published.version?.versionNumber).toBe('1');
      expect(fx.remoteConfig.calls().filter((c) => c.method === 'remoteConfig.update')).toHaveLength(2);
    });

    test('500: remote-config/internal-error', async () => {
      fx.remoteConfig.faults.failNext('remoteConfig.listVersions', 1, 500);
      await expect(rc.listVersions()).rejects.toMatchObject({ code: 'remote-config/internal-error' });
    });
  });
});

describe("Remote Config emulator validation errors: HTTP 400 INVALID_ARGUMENT, [VALIDATION_ERROR]: … (texts after the prefix are the emulator's)", () => {
  // Refused templates change nothing, so one emulator serves every case.
  let fx: RemoteConfigFixture;
  let rc: RemoteConfig;
  beforeAll(async () => {
    fx = await startRemoteConfig();
    rc = getRemoteConfig(fx.app);
  });
  afterAll(() => fx.stop());

  const manyConditions = Array.from({ length: 501 }, (_, i) => ({ name: `c${i}`, expression: 'true' }));
  const manyParameters = Object.fromEntries(
    Array.from({ length: 2001 }, (_, i) => [`p${i}`, { defaultValue: { value: 'x' } }]),
  );
  const cases: Array<[string, Partial<RemoteConfigTemplate>, RegExp]> = [
    [
      'a conditional value naming an unknown condition',
      { parameters: { m: { conditionalValues: { nowhere: { value: 'x' } } } } },
      /parameter 'm' has a conditional value for condition 'nowhere'/,
    ],
    [
      'duplicate condition names',
      { conditions: [PERCENT, { ...PERCENT, expression: 'percent <= 5' }] },
      /condition names must be unique: 'ferry_rollout'/,
    ],
    [
      'a parameter key starting with a digit',
      { parameters: { '1model': { defaultValue: { value: 'x' } } } },
      /parameter key '1model' is invalid/,
    ],
    [
      'a parameter key with a dash',
      { parameters: { 'flowers-model': { defaultValue: { value: 'x' } } } },
      /'flowers-model' is invalid/,
    ],
    [
      'a parameter key of 257 characters',
      { parameters: { ['k'.repeat(257)]: { defaultValue: { value: 'x' } } } },
      /is invalid: keys have up to 256/,
    ],
    ['501 conditions', { conditions: manyConditions }, /501 conditions; at most 500/],
    ['2001 parameters', { parameters: manyParameters }, /2001 parameters; at most 2000/],
    [
      'a value with both value and useInAppDefault',
      { parameters: { m: { defaultValue: { value: 'x', useInAppDefault: true } } } },
      /exactly one of value and useInAppDefault/,
    ],
    [
      'a NUMBER parameter with a value that is not a number',
      { parameters: { m: { valueType: 'NUMBER', defaultValue: { value: 'five' } } } },
      /parameter 'm' defaultValue: "five" is not a number \(valueType NUMBER\)/,
    ],
    [
      'a JSON parameter with a conditional value that is not JSON',
      {
        conditions: [PERCENT],
        parameters: { m: { valueType: 'JSON', conditionalValues: { ferry_rollout: { value: '{"a":' } } } },
      },
      /conditional value for 'ferry_rollout': "\{\\"a\\":" is not valid JSON/,
    ],
    [
      'an unbalanced parenthesis',
      { conditions: [{ name: 'c', expression: "(device.os == 'ios'" }] },
      /condition 'c' has a malformed expression \(unclosed '\('\)/,
    ],
    ['an unterminated string', { conditions: [{ name: 'c', expression: "device.os == 'ios" }] }, /unterminated string/],
    ['percent above 100', { conditions: [{ name: 'c', expression: 'percent <= 101' }] }, /number in \[0, 100\]/],
    [
      'percent between with its bounds reversed',
      { conditions: [{ name: 'c', expression: "percent('s') between 5 and 1" }] },
      /lower bound must be below/,
    ],
    [
      'percent between missing its upper bound',
      { conditions: [{ name: 'c', expression: "percent('s') between 0 and" }] },
      /percent between takes two numbers/,
    ],
    [
      'percent with an unquoted seed',
      { conditions: [{ name: 'c', expression: 'percent(seed) <= 5' }] },
      /one quoted seed/,
    ],
    ['a dangling &&', { conditions: [{ name: 'c', expression: 'percent <= 5 &&' }] }, /missing around &&/],
    [
      '&& without spaces',
      { conditions: [{ name: 'c', expression: "percent <= 5&&device.os == 'ios'" }] },
      /space on each side/,
    ],
    ['||', { conditions: [{ name: 'c', expression: "percent <= 5 || device.os == 'ios'" }] }, /with && only/],
    ['percent compared by <', { conditions: [{ name: 'c', expression: 'percent < 5' }] }, /compared by <= or >/],
    [
      'percent with 7 decimals',
      { conditions: [{ name: 'c', expression: 'percent <= 5.1234567' }] },
      /at most 6 decimals/,
    ],
    [
      'a seed of 33 characters',
      { conditions: [{ name: 'c', expression: `percent('${'s'.repeat(33)}') <= 5` }] },
      /at most 32 characters/,
    ],
    ['a seed with a space', { conditions: [{ name: 'c', expression: "percent('a b') <= 5" }] }, /quoted seed/],
    ['an empty expression', { conditions: [{ name: 'c', expression: ' ' }] }, /the expression is empty/],
  ];
  test.each(cases)('%s', async (_name, change, message) => {
    const base = await rc.getTemplate();
    const template = {
      etag: base.etag,
      conditions: [],
      parameters: {},
      parameterGroups: {},
      ...change,
    } as RemoteConfigTemplate;
    for (const call of [() => rc.validateTemplate(template), () => rc.publishTemplate(template)]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'remote-config/invalid-argument' });
      expect((error as Error).message).toMatch(/^\[VALIDATION_ERROR\]: /);
      expect((error as Error).message).toMatch(message);
    }
    expect(fx.remoteConfig.versions()).toEqual([]);
  });

  test.each([
    "percent('seed-1') between 0 and 5",
    'percent <= 5',
    'percent between 25 and 100',
    "device.os == 'ios' && percent('x') > 20.5",
    "app.userProperty['tier'] > 1 && device.country in ['us', 'ca']",
    "device.language in ['en-US'] && app.id == '1:123:android:abc&&def'",
  ])('accepts the well-formed expression %s', async (expression) => {
    const base = await rc.getTemplate();
    const template = {
      etag: base.etag,
      conditions: [{ name: 'c', expression }],
      parameters: {},
      parameterGroups: {},
    };
    await expect(rc.validateTemplate(template)).resolves.toBeDefined();
  });
});

describe('Remote Config emulator persistence', () => {
  test('a restart with the same dataDir serves the same template, versions, ETag and project number', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ferry-rc-'));
    try {
      const first = await startRemoteConfig({ dataDir });
      const rc = getRemoteConfig(first.app);
      const published = await rc.publishTemplate(rolloutTemplate(await rc.getTemplate()));
      await first.stop();
      const second = await startRemoteConfig({ dataDir, projectNumber: '999' });
      try {
        const again = await getRemoteConfig(second.app).getTemplate();
        expect(again.etag).toBe(published.etag);
        expect(again.conditions).toEqual([PERCENT]);
        expect(second.remoteConfig.versions().map((v) => v.versionNumber)).toEqual(['1']);
      } finally {
        await second.stop();
      }
      await expect(startRemoteConfig({ dataDir, projectId: 'another-project' })).rejects.toThrow(
        /remote-config-emulator\.json: holds project "ferry-rc".*one dataDir per project/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
