import { Code, RpcError, notFound } from './rpc-error';
import type { Msg, VertexProtos } from './protos';
import type { LroMethod } from './vertex-context';

/**
 * What it takes to redo an operation after a restart: the RPC, its request, and the ids it drew
 * (so the replay names the same resources). JSON-safe, because it is saved in dataDir.
 */
export interface OperationReplay {
  method: LroMethod;
  request: Msg;
  ids: string[];
}

/** Name and schedule of an operation being replayed after a restart. */
export interface ResumedOperation {
  name: string;
  startedAt: number;
  durationMs: number;
}

/** One long-running operation as the emulator keeps it. */
export interface OperationRecord {
  name: string;
  done: boolean;
  startedAt: number;
  durationMs: number;
  metadataType: string;
  /** Metadata at a given progress in [0, 1]; read on every GetOperation so polling sees it move. */
  metadata: (progress: number) => Msg;
  response?: { type: string; value: Msg };
  error?: { code: number; message: string };
  timer?: NodeJS.Timeout;
  waiters: Array<() => void>;
  settle?: () => void;
  replay?: OperationReplay;
}

/** What {@link OperationStore.start} needs to run one operation. */
export interface StartOperation {
  /** Resource the operation belongs to: its name becomes `<parent>/operations/<id>`. */
  parent: string;
  metadataType: string;
  metadata: (progress: number) => Msg;
  responseType: string;
  /** Wall-clock time until the operation completes (already scaled). */
  durationMs: number;
  /** Does the work when the operation completes; a thrown RpcError becomes the operation's error. */
  run: () => Promise<Msg> | Msg;
  /** Called once when the operation ends, whichever way (done, failed, cancelled). */
  settle?: () => void;
  /** How to redo it if the emulator restarts before it is done (dataDir). */
  replay?: OperationReplay;
}

/**
 * The `google.longrunning.Operations` side of the emulator. Work runs when the operation
 * completes, after `durationMs`, so a 30-minute deployment can be replayed in compressed time
 * while the client polls GetOperation. https://google.aip.dev/151
 */
export class OperationStore {
  private readonly ops = new Map<string, OperationRecord>();
  /** Saved and restored with the emulator's state (dataDir). */
  nextId = 1;
  /** Called after an operation completes on its own (timer), so the new state can be saved. */
  onChange?: () => void;
  private resuming?: ResumedOperation;

  constructor(private readonly protos: VertexProtos) {}

  /** Starts an operation; with no duration the work runs before the first answer, which is then already done. */
  async start(spec: StartOperation): Promise<OperationRecord> {
    const resumed = this.resuming;
    this.resuming = undefined;
    const record: OperationRecord = {
      name: resumed?.name ?? `${spec.parent}/operations/${String(8000000000000000000n + BigInt(this.nextId++))}`,
      done: false,
      startedAt: resumed?.startedAt ?? Date.now(),
      durationMs: resumed?.durationMs ?? spec.durationMs,
      metadataType: spec.metadataType,
      metadata: spec.metadata,
      waiters: [],
      settle: spec.settle,
      replay: spec.replay,
    };
    this.ops.set(record.name, record);
    const complete = async (): Promise<void> => {
      record.timer = undefined;
      try {
        record.response = { type: spec.responseType, value: await spec.run() };
      } catch (err) {
        record.error =
          err instanceof RpcError
            ? { code: err.code, message: err.message }
            : { code: Code.INTERNAL, message: (err as Error).message };
      }
      this.finish(record);
    };
    const waitMs = resumed ? resumed.startedAt + resumed.durationMs - Date.now() : spec.durationMs;
    if (waitMs <= 0) await complete();
    else {
      record.timer = setTimeout(() => void complete().then(() => this.onChange?.()), waitMs);
      record.timer.unref();
    }
    return record;
  }

  /**
   * Redoes an operation that was in flight when the emulator stopped, under its old name and
   * schedule: `replay` calls the RPC handler again, whose `start` picks up `saved`. If the replay
   * is refused, the operation ends with that error, so a client polling it still gets an answer.
   */
  async resume(saved: ResumedOperation, replay: () => Promise<unknown>): Promise<void> {
    this.resuming = saved;
    try {
      await replay();
    } catch (err) {
      if (!this.ops.has(saved.name)) {
        const error =
          err instanceof RpcError
            ? { code: err.code, message: err.message }
            : { code: Code.INTERNAL, message: (err as Error).message };
        this.restoreDone({ ...saved, metadataType: 'google.protobuf.Empty', metadata: {}, error });
      }
    } finally {
      this.resuming = undefined;
    }
  }

  /** Puts back a finished operation read from dataDir. */
  restoreDone(
    saved: ResumedOperation & {
      metadataType: string;
      metadata: Msg;
      response?: { type: string; value: Msg };
      error?: { code: number; message: string };
    },
  ): void {
    const { metadata, ...rest } = saved;
    this.ops.set(saved.name, { ...rest, done: true, metadata: () => metadata, waiters: [] });
  }

  /** Every operation, oldest first (to save them). */
  all(): OperationRecord[] {
    return [...this.ops.values()];
  }

  /**
   * By full name, or by its location-level name (`projects/P/locations/L/operations/ID`): operation
   * ids are unique per location, and `gcloud ai operations describe ID --region=L` asks that way.
   */
  get(name: unknown): OperationRecord {
    const short =
      typeof name === 'string' ? /^(projects\/[^/]+\/locations\/[^/]+)\/operations\/([^/]+)$/.exec(name) : null;
    const record =
      typeof name !== 'string'
        ? undefined
        : (this.ops.get(name) ??
          (short
            ? [...this.ops.values()].find(
                (op) => op.name.startsWith(`${short[1]}/`) && op.name.endsWith(`/operations/${short[2]}`),
              )
            : undefined));
    if (!record) throw notFound(`Operation ${String(name).slice(0, 300)} not found.`);
    return record;
  }

  /** Operations whose name lies under `parent` (e.g. `projects/P/locations/L` or an endpoint). */
  list(parent: string): OperationRecord[] {
    return [...this.ops.values()].filter((op) => op.name.startsWith(`${parent}/`));
  }

  cancel(name: unknown): void {
    const record = this.get(name);
    if (record.done) return;
    clearTimeout(record.timer);
    record.timer = undefined;
    record.error = { code: Code.CANCELLED, message: 'Operation was cancelled.' };
    this.finish(record);
  }

  delete(name: unknown): void {
    const record = this.get(name);
    this.ops.delete(record.name);
  }

  /** Resolves when the operation is done or after `timeoutMs`, whichever comes first. */
  async wait(name: unknown, timeoutMs: number): Promise<OperationRecord> {
    const record = this.get(name);
    if (record.done) return record;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      record.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    return record;
  }

  /** The `google.longrunning.Operation` message with Any-packed metadata and result. */
  toProto(record: OperationRecord): Msg {
    const progress =
      record.done || record.durationMs <= 0 ? 1 : Math.min(1, (Date.now() - record.startedAt) / record.durationMs);
    const op: Msg = {
      name: record.name,
      done: record.done,
      metadata: this.protos.packAny(record.metadataType, record.metadata(progress)),
    };
    if (record.error) op.error = { code: record.error.code, message: record.error.message };
    else if (record.response) op.response = this.protos.packAny(record.response.type, record.response.value);
    return op;
  }

  /** Stops every pending timer (emulator shutdown). */
  stopAll(): void {
    for (const record of this.ops.values()) clearTimeout(record.timer);
  }

  private finish(record: OperationRecord): void {
    record.done = true;
    record.settle?.();
    for (const waiter of record.waiters.splice(0)) waiter();
  }
}
