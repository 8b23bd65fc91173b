import { createHash } from 'node:crypto';
import { initializeApp, deleteApp, type App } from 'firebase-admin/app';
import { getRemoteConfig } from 'firebase-admin/remote-config';
import { inRollout, microPercentile } from '../../../../../functions/core/mobile/in-rollout';

describe('inRollout (the manifest rule apps apply)', () => {
  it.each([
    // Fixed vectors: SHA-256("<seed>.<id>") as a big-endian integer mod 100,000,000 (computed once
    // with BigInt over the whole digest, independently of the byte-wise loop under test).
    ['ferry-abc', 'fid-0'],
    ['ferry-abc', 'fid-1'],
    ['ferry-5d41402abc4b2a76b971', 'installation-42'],
  ])('micro-percentile of %s / %s is the digest mod 10^8', (seed, id) => {
    const whole = BigInt(`0x${createHash('sha256').update(`${seed}.${id}`).digest('hex')}`) % 100_000_000n;
    expect(microPercentile(seed, id)).toBe(whole);
  });

  it('matches fixed vectors (what the Kotlin and Swift snippets must print)', () => {
    expect(microPercentile('ferry-abc', 'fid-0').toString()).toBe(VECTORS['ferry-abc.fid-0']);
    expect(microPercentile('ferry-abc', 'fid-1').toString()).toBe(VECTORS['ferry-abc.fid-1']);
    expect(inRollout('ferry-abc', 'fid-0', 62)).toBe(false); // 62.353843 % > 62 %
    expect(inRollout('ferry-abc', 'fid-0', 63)).toBe(true);
    expect(inRollout('ferry-abc', 'fid-0', 100)).toBe(true);
    expect(inRollout('ferry-abc', 'fid-0', 0)).toBe(false);
  });

  it('grows monotonically with the percent: a device in at 5 % stays in at 25 % and 100 %', () => {
    for (let i = 0; i < 500; i += 1) {
      const id = `fid-${i}`;
      if (inRollout('ferry-x', id, 5)) expect(inRollout('ferry-x', id, 25)).toBe(true);
      if (inRollout('ferry-x', id, 25)) expect(inRollout('ferry-x', id, 100)).toBe(true);
    }
  });

  describe('against firebase-admin server templates (Google’s evaluator, run locally)', () => {
    let app: App;
    beforeAll(() => {
      app = initializeApp({ projectId: 'demo-ferry-in-rollout' }, 'in-rollout-test');
    });
    afterAll(() => deleteApp(app));

    it.each([1, 5, 25, 50, 99])('picks exactly the instances Remote Config picks at %i %%', (percent) => {
      const seed = 'ferry-0123456789abcdef0123';
      const template = getRemoteConfig(app).initServerTemplate({
        template: {
          conditions: [
            {
              name: 'ferry_flowers_model_rollout',
              condition: {
                percent: {
                  seed,
                  percentOperator: 'BETWEEN' as never,
                  microPercentRange: { microPercentLowerBound: 0, microPercentUpperBound: percent * 1_000_000 },
                },
              },
            },
          ],
          parameters: {
            flowers_model: {
              defaultValue: { value: 'flowers' },
              conditionalValues: { ferry_flowers_model_rollout: { value: 'flowers_v8' } },
            },
          },
          etag: 'etag-1',
        },
      });
      let picked = 0;
      for (let i = 0; i < 2000; i += 1) {
        const id = `installation-${i}`;
        const google = template.evaluate({ randomizationId: id }).getString('flowers_model') === 'flowers_v8';
        expect([id, inRollout(seed, id, percent)]).toEqual([id, google]);
        if (google) picked += 1;
      }
      // Not a speed or luck assertion: the share is what the seed gives, and must not be degenerate.
      expect(picked).toBeGreaterThan(0);
    });
  });
});

/** Fixed vectors: the README's Kotlin and Swift print these for the same inputs. */
const VECTORS: Record<string, string> = { 'ferry-abc.fid-0': '62353843', 'ferry-abc.fid-1': '52743230' };
