import { watchStatus } from '../../../cli/status-watch';
import { captureIo } from '../../helpers/capture-io';

describe('watchStatus', () => {
  it('prints a frame only when the status changed, and ends when stop resolves', async () => {
    const reads = ['run a: checked', 'run a: checked', 'run a: registered', 'run a: registered', 'run a: promoted'];
    let i = 0;
    let end: () => void = () => undefined;
    const stop = new Promise<void>((resolve) => (end = resolve));
    const io = captureIo();
    const frames: string[] = [];
    await watchStatus({
      render: async () => reads[Math.min(i++, reads.length - 1)],
      io,
      stop,
      intervalMs: 1,
      onFrame: (frame) => {
        frames.push(frame);
        if (frame.includes('promoted')) end();
      },
    });
    expect(frames).toEqual(['run a: checked', 'run a: registered', 'run a: promoted']);
    expect(io.stdout).toHaveLength(3);
    expect(io.stdout[0]).toMatch(/^--- \d{4}-.*Z\nrun a: checked$/);
  });

  it('clears the screen before each frame on a terminal', async () => {
    const io = captureIo();
    await watchStatus({ render: async () => 'x', io, stop: Promise.resolve(), clearScreen: true });
    expect(io.stdout.every((text) => text === '\x1b[2J\x1b[Hx')).toBe(true);
  });

  it('shows a failed read and keeps watching', async () => {
    let calls = 0;
    let end: () => void = () => undefined;
    const stop = new Promise<void>((resolve) => (end = resolve));
    const io = captureIo();
    await watchStatus({
      render: async () => {
        calls += 1;
        if (calls === 1) throw new Error('connection refused');
        end();
        return 'back';
      },
      io,
      stop,
      intervalMs: 1,
    });
    expect(io.stdout[0]).toContain('status unavailable, retrying: connection refused');
    expect(calls).toBe(2);
  });

  it('stops a long wait between reads at once', async () => {
    let end: () => void = () => undefined;
    const stop = new Promise<void>((resolve) => (end = resolve));
    const started = Date.now();
    const done = watchStatus({ render: async () => 'x', io: captureIo(), stop, intervalMs: 60_000 });
    setTimeout(end, 20);
    await done;
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
