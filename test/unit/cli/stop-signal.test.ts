import { EventEmitter } from 'node:events';
import { awaitStopSignal, STOP_SIGNALS } from '../../../cli/stop-signal';

/** A process stand-in: signals are events, so a test can send them and count the listeners. */
function fakeProcess(): EventEmitter & Pick<NodeJS.Process, 'on' | 'off'> {
  return new EventEmitter() as EventEmitter & Pick<NodeJS.Process, 'on' | 'off'>;
}

describe('awaitStopSignal', () => {
  it.each(STOP_SIGNALS)('resolves with %s', async (signal) => {
    const source = fakeProcess();
    const stop = awaitStopSignal(source);
    source.emit(signal, signal);
    await expect(stop.received).resolves.toBe(signal);
  });

  it('keeps catching repeats until released, so a second Ctrl-C cannot kill the stop halfway', async () => {
    const source = fakeProcess();
    const stop = awaitStopSignal(source);
    source.emit('SIGINT', 'SIGINT');
    await stop.received;
    // Node's default action (exit) runs only for a signal nobody listens to.
    expect(source.listenerCount('SIGINT')).toBe(1);
    source.emit('SIGINT', 'SIGINT');
    stop.release();
    for (const signal of STOP_SIGNALS) expect(source.listenerCount(signal)).toBe(0);
  });
});
