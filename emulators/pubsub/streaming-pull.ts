import type { handleBidiStreamingCall, ServerDuplexStream } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { FaultInjector } from '../faults';
import { Broker } from './broker';
import { toWireMessage } from './grpc-handler';
import { RpcError, invalidArgument, toServiceError } from './rpc-error';
import { MAX_ACK_DEADLINE_S } from './subscription-config';

interface StreamingPullRequest {
  subscription?: string;
  ackIds?: unknown[];
  modifyDeadlineSeconds?: number[];
  modifyDeadlineAckIds?: unknown[];
  streamAckDeadlineSeconds?: number;
  maxOutstandingMessages?: string | number;
  maxOutstandingBytes?: string | number;
}

// Server-side flow-control defaults when the client sends 0 (unlimited would let one stream hoard).
const DEFAULT_MAX_OUTSTANDING_MESSAGES = 1000;
const DEFAULT_MAX_OUTSTANDING_BYTES = 100 * 1024 * 1024;
const MAX_MESSAGES_PER_RESPONSE = 1000;

interface Session {
  id: string;
  subscription: string;
  deadlineMs: number;
  maxMessages: number;
  maxBytes: number;
  writable: boolean;
  call: ServerDuplexStream<StreamingPullRequest, unknown>;
}

/**
 * StreamingPull as `@google-cloud/pubsub` drives it: the first request names the subscription,
 * the stream ack deadline and flow control; later ones carry acks, modacks, deadline updates
 * and empty keep-alives. Messages go to whichever open stream has room (round robin).
 * @see https://cloud.google.com/pubsub/docs/reference/rpc/google.pubsub.v1#streamingpullrequest
 */
export class StreamingPullHub {
  private readonly sessions = new Map<string, Session[]>();
  private seq = 0;
  private rotate = 0;

  constructor(
    private readonly broker: Broker,
    private readonly faults: FaultInjector,
  ) {}

  handler(): handleBidiStreamingCall<StreamingPullRequest, unknown> {
    return (call) => this.open(call);
  }

  /** Sends ready messages of `subscription` to its streams, within each stream's flow control. */
  dispatch(subscription: string): void {
    const list = this.sessions.get(subscription);
    if (!list || list.length === 0) return;
    this.rotate = (this.rotate + 1) % list.length;
    const ordered = [...list.slice(this.rotate), ...list.slice(0, this.rotate)];
    for (const s of ordered) {
      if (!s.writable || !this.broker.hasReady(subscription)) continue;
      const used = this.broker.outstanding(s.id);
      const room = Math.min(s.maxMessages - used.messages, MAX_MESSAGES_PER_RESPONSE);
      if (room <= 0 || used.bytes >= s.maxBytes) continue;
      const leased = this.broker.lease(subscription, room, s.id, {
        deadlineMs: s.deadlineMs,
        maxBytes: s.maxBytes - used.bytes,
      });
      if (leased.length === 0) continue;
      const receivedMessages = leased.map((l) => ({
        ackId: l.ackId,
        message: toWireMessage(l.message),
        deliveryAttempt: l.deliveryAttempt,
      }));
      s.writable = s.call.write({ receivedMessages });
    }
  }

  subscriptionsWithStreams(): string[] {
    return [...this.sessions.keys()];
  }

  /** Ends every stream of a deleted subscription with NOT_FOUND, as the service does. */
  closeSubscription(subscription: string): void {
    for (const s of this.sessions.get(subscription) ?? []) {
      this.fail(s.call, new RpcError(status.NOT_FOUND, `Resource not found (resource=${subscription}).`));
    }
    this.sessions.delete(subscription);
  }

  closeAll(): void {
    for (const name of [...this.sessions.keys()]) {
      for (const s of this.sessions.get(name) ?? [])
        this.fail(s.call, new RpcError(status.UNAVAILABLE, 'The emulator is shutting down.'));
    }
    this.sessions.clear();
  }

  private open(call: ServerDuplexStream<StreamingPullRequest, unknown>): void {
    const decision = this.faults.take('StreamingPull');
    if (decision.fail) {
      this.fail(call, new RpcError(decision.fail.code, decision.fail.message));
      return;
    }
    let session: Session | undefined;
    call.on('data', (req: StreamingPullRequest) => {
      try {
        if (!session) session = this.start(call, req);
        else this.update(session, req);
      } catch (err) {
        this.fail(call, err);
        if (session) this.remove(session);
      }
    });
    call.on('drain', () => {
      if (!session) return;
      session.writable = true;
      this.dispatch(session.subscription);
    });
    const close = (): void => {
      if (session) this.remove(session);
      session = undefined;
    };
    call.on('end', () => {
      close();
      call.end();
    });
    call.on('cancelled', close);
    call.on('error', close);
  }

  private start(call: ServerDuplexStream<StreamingPullRequest, unknown>, req: StreamingPullRequest): Session {
    const sub = this.broker.getSubscription(req.subscription);
    const deadline = Number(req.streamAckDeadlineSeconds ?? 0);
    checkDeadline(deadline);
    const session: Session = {
      id: `stream:${++this.seq}`,
      subscription: sub.name,
      deadlineMs: deadline * 1000,
      maxMessages: Number(req.maxOutstandingMessages ?? 0) || DEFAULT_MAX_OUTSTANDING_MESSAGES,
      maxBytes: Number(req.maxOutstandingBytes ?? 0) || DEFAULT_MAX_OUTSTANDING_BYTES,
      writable: true,
      call,
    };
    this.sessions.set(sub.name, [...(this.sessions.get(sub.name) ?? []), session]);
    this.update(session, { ...req, streamAckDeadlineSeconds: undefined });
    this.dispatch(sub.name);
    return session;
  }

  private update(s: Session, req: StreamingPullRequest): void {
    if (req.subscription && req.subscription !== s.subscription) {
      throw invalidArgument('subscription must only be set on the first StreamingPullRequest of a stream.');
    }
    if (req.streamAckDeadlineSeconds) {
      checkDeadline(Number(req.streamAckDeadlineSeconds));
      s.deadlineMs = Number(req.streamAckDeadlineSeconds) * 1000;
    }
    const modIds = req.modifyDeadlineAckIds ?? [];
    const modSeconds = req.modifyDeadlineSeconds ?? [];
    if (modIds.length !== modSeconds.length) {
      throw invalidArgument(
        `modify_deadline_seconds has ${modSeconds.length} entries but modify_deadline_ack_ids has ${modIds.length}; they must match.`,
      );
    }
    if (req.ackIds && req.ackIds.length > 0) this.broker.acknowledge(s.subscription, req.ackIds);
    modIds.forEach((id, i) => this.broker.modifyAckDeadline(s.subscription, [id], Number(modSeconds[i])));
  }

  private remove(s: Session): void {
    const list = (this.sessions.get(s.subscription) ?? []).filter((x) => x !== s);
    if (list.length > 0) this.sessions.set(s.subscription, list);
    else this.sessions.delete(s.subscription);
  }

  private fail(call: ServerDuplexStream<StreamingPullRequest, unknown>, err: unknown): void {
    call.emit('error', toServiceError(err));
  }
}

function checkDeadline(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 10 || seconds > MAX_ACK_DEADLINE_S) {
    throw invalidArgument(`Invalid stream_ack_deadline_seconds: ${seconds}. It must be between 10 and 600.`);
  }
}
