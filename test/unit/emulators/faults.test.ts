import { delayCall, FaultInjector } from '../../../emulators/faults';

describe('FaultInjector', () => {
  it('fails exactly the next N calls of a method, then lets calls through', () => {
    const faults = new FaultInjector();
    faults.failNext('DeployModel', 2, 14);
    expect(faults.take('DeployModel').fail?.code).toBe(14);
    expect(faults.take('GetEndpoint').fail).toBeUndefined();
    expect(faults.take('DeployModel').fail?.code).toBe(14);
    expect(faults.take('DeployModel').fail).toBeUndefined();
  });

  it('queues rules in order and applies wildcard rules to any method', () => {
    const faults = new FaultInjector();
    faults.failNext('*', 1, 503);
    faults.failNext('Publish', 1, 4);
    faults.failNext('Publish', 1, 8);
    expect(faults.take('Publish').fail?.code).toBe(4);
    expect(faults.take('Publish').fail?.code).toBe(8);
    expect(faults.take('Publish').fail?.code).toBe(503);
    expect(faults.take('Publish').fail).toBeUndefined();
  });

  it('fails every call during an outage, of one method or all, until it ends', () => {
    const faults = new FaultInjector();
    const predict = faults.outage('Predict', 8);
    const all = faults.outage('*', 14);
    expect(Array.from({ length: 50 }, () => faults.take('Predict').fail?.code)).toEqual(Array(50).fill(8));
    expect(faults.take('GetOperation').fail?.code).toBe(14);
    all.end();
    expect(faults.take('GetOperation').fail).toBeUndefined();
    expect(faults.take('Predict').fail?.code).toBe(8);
    predict.end();
    predict.end();
    expect(faults.take('Predict').fail).toBeUndefined();
  });

  it('adds latency per method with a wildcard fallback and duplicates N deliveries', () => {
    const faults = new FaultInjector();
    faults.addLatency('*', 5);
    faults.addLatency('Predict', 50);
    faults.duplicateNext('push', 1);
    expect(faults.take('Predict').latencyMs).toBe(50);
    expect(faults.take('Other').latencyMs).toBe(5);
    expect(faults.take('push').duplicate).toBe(true);
    expect(faults.take('push').duplicate).toBe(false);
  });

  it('replays the same random faults from the same seed', () => {
    const run = (seed: number) => {
      const faults = new FaultInjector();
      faults.setRandom({ rate: 0.3, codes: [14, 4], seed });
      return Array.from({ length: 200 }, () => faults.take('x').fail?.code ?? 0);
    };
    const first = run(7);
    expect(run(7)).toEqual(first);
    expect(run(8)).not.toEqual(first);
    const failures = first.filter((code) => code !== 0).length;
    expect(failures).toBeGreaterThan(30);
    expect(failures).toBeLessThan(90);
  });

  it('forgets everything on reset', () => {
    const faults = new FaultInjector();
    faults.failNext('x', 5, 14);
    faults.addLatency('x', 10);
    faults.reset();
    expect(faults.take('x')).toEqual({ latencyMs: 0, duplicate: false });
  });

  it('holds calls of a method until released: reached on the first, other methods untouched', async () => {
    const faults = new FaultInjector();
    const hold = faults.hold('DeployModel');
    let reached = false;
    void hold.reached.then(() => (reached = true));
    expect(faults.take('GetModel').held).toBeUndefined();
    await Promise.resolve();
    expect(reached).toBe(false);
    const handled: string[] = [];
    const first = delayCall(faults.take('DeployModel')).then(() => handled.push('first'));
    const second = delayCall(faults.take('DeployModel')).then(() => handled.push('second'));
    await hold.reached;
    await new Promise((resolve) => setImmediate(resolve));
    expect(handled).toEqual([]);
    hold.release();
    await Promise.all([first, second]);
    expect(handled).toEqual(['first', 'second']);
    expect(faults.take('DeployModel').held).toBeUndefined();
  });

  it('reset releases a hold so nothing waits forever', async () => {
    const faults = new FaultInjector();
    faults.hold('x');
    const held = delayCall(faults.take('x'));
    faults.reset();
    await expect(held).resolves.toBeUndefined();
  });
});
