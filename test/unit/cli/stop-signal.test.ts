import { EventEmitter } from 'node:events';
import { awaitStopSignal, STOP_SIGNALS } from '../../../cli/stop-signal';

/** A process stand-in: signals are events, so a test can send them and count the listeners. */
function fakeProcess(): EventEmitter & Pick<NodeJS.Process, 'on' | 'off'> & { exit: jest.Mock } {
  return Object.assign(new EventEmitter(), { exit: jest.fn() }) as EventEmitter &
    Pick<NodeJS.Process, 'on' | 'off'> & { exit: jest.Mock };
}

describe('awaitStopSignal', () => {
  it.each(STOP_SIGNALS)('resolves with %s', async (signal) => {
    const source = fakeProcess();
    const stop = awaitStopSignal(source);
    source.emit(signal, signal);
    await expect(stop.received).resolves.toBe(signal);
  });

  it('catches repeats until stopped, so a second Ctrl-C cannot kill the stop halfway; then one exits at once', async () => {
    const source = fakeProcess();
    const stop = awaitStopSignal(source);
    source.emit('SIGINT', 'SIGINT');
    await stop.received;
    // Node's default action (the process dies) runs only for a signal nobody listens to.
    source.emit('SIGINT', 'SIGINT');
    expect(source.listenerCount('SIGINT')).toBe(1);
    expect(source.exit).not.toHaveBeenCalled();
    stop.stopped();
    for (const signal of STOP_SIGNALS) expect(source.listenerCount(signal)).toBe(1);
    source.emit('SIGTERM', 'SIGTERM');
    expect(source.exit).toHaveBeenCalledWith(0);
  });
});
