import { CHUNK_GRANULARITY, ResumableSessions } from '../../../../emulators/storage/resumable-sessions';
import type { UploadRange } from '../../../../emulators/storage/ranges';

const Q = CHUNK_GRANULARITY;

function fresh(limit = 10 * Q) {
  const sessions = new ResumableSessions(limit);
  return { sessions, session: sessions.create('b', 'n', {}, {}) };
}

const chunk = (start: number, end?: number, total?: number): UploadRange => ({ kind: 'chunk', start, end, total });

describe('ResumableSessions.accept', () => {
  it('collects 256 KiB-aligned chunks and completes on the declared total', () => {
    const { sessions, session } = fresh();
    expect(sessions.accept(session, chunk(0, Q - 1), Buffer.alloc(Q, 1))).toEqual({ complete: false, received: Q });
    const done = sessions.accept(session, chunk(Q, Q + 9, Q + 10), Buffer.alloc(10, 2));
    expect(done.complete).toBe(true);
    if (done.complete) expect([done.data.length, done.data[0], done.data[Q]]).toEqual([Q + 10, 1, 2]);
  });

  it('completes a streaming "bytes 0-*/*" request at the end of its body', () => {
    const { sessions, session } = fresh();
    const done = sessions.accept(session, chunk(0), Buffer.from('abc'));
    expect(done).toEqual({ complete: true, data: Buffer.from('abc') });
  });

  it('skips bytes it already has when a chunk is retransmitted', () => {
    const { sessions, session } = fresh();
    sessions.accept(session, chunk(0, Q - 1), Buffer.alloc(Q, 1));
    const outcome = sessions.accept(
      session,
      chunk(0, 2 * Q - 1),
      Buffer.concat([Buffer.alloc(Q, 9), Buffer.alloc(Q, 3)]),
    );
    expect(outcome).toEqual({ complete: false, received: 2 * Q });
    const done = sessions.accept(session, { kind: 'query', total: 2 * Q }, Buffer.alloc(0));
    expect(done.complete && done.data[0]).toBe(1);
  });

  it('answers a status query with what it has', () => {
    const { sessions, session } = fresh();
    expect(sessions.accept(session, { kind: 'query' }, Buffer.alloc(0))).toEqual({ complete: false, received: 0 });
    expect(sessions.accept(session, { kind: 'query', total: 0 }, Buffer.alloc(0))).toEqual({
      complete: true,
      data: Buffer.alloc(0),
    });
  });

  it.each<[string, UploadRange[], Buffer[], RegExp, number]>([
    ['a gap', [chunk(Q, 2 * Q - 1)], [Buffer.alloc(Q)], /starts at byte 262144 but only 0/, 400],
    [
      'a body shorter than its range',
      [chunk(0, 19, 40)],
      [Buffer.alloc(10)],
      /covers 20 bytes but the body has 10/,
      400,
    ],
    ['an unaligned middle chunk', [chunk(0, 999)], [Buffer.alloc(1000)], /multiple of 262144/, 400],
    [
      'a changed total',
      [chunk(0, Q - 1, 2 * Q), chunk(Q, Q, Q + 1)],
      [Buffer.alloc(Q), Buffer.alloc(1)],
      /differs from the 524288/,
      400,
    ],
    ['data past the total', [chunk(0, 9, 5)], [Buffer.alloc(10)], /past the declared total/, 400],
    ['a body in a status query', [{ kind: 'query' }], [Buffer.alloc(1)], /empty body/, 400],
    ['more than the limit', [chunk(0)], [Buffer.alloc(10 * Q + 1)], /limit/, 413],
  ])('rejects %s and keeps the session as it was', (_label, ranges, bodies, message, status) => {
    const { sessions, session } = fresh();
    ranges.slice(0, -1).forEach((range, i) => sessions.accept(session, range, bodies[i]));
    const before = { received: session.received, total: session.total, chunks: session.chunks.length };
    expect(() => sessions.accept(session, ranges[ranges.length - 1], bodies[bodies.length - 1])).toThrow(
      expect.objectContaining({ status, message: expect.stringMatching(message) }),
    );
    expect({ received: session.received, total: session.total, chunks: session.chunks.length }).toEqual(before);
  });
});

describe('ResumableSessions lookup', () => {
  it('404s an unknown or cancelled upload id', () => {
    const { sessions, session } = fresh();
    expect(sessions.get(session.id)).toBe(session);
    sessions.cancel(session.id);
    expect(() => sessions.get(session.id)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => sessions.get(null)).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('gives every session an unguessable distinct id', () => {
    const sessions = new ResumableSessions(1);
    const ids = new Set(Array.from({ length: 100 }, () => sessions.create('b', 'n', {}, {}).id));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
