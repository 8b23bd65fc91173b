/**
 * In-memory versions of ferry's OWN ports (functions/pipeline/ports.ts) for unit tests of the
 * pipeline logic. Google's clients are never faked: their adapters are tested against the emulators.
 */
import type { RunRecord } from '../../functions/core/run/run-record';
import type {
  Clock,
  DocumentStore,
  Logger,
  ObjectInfo,
  ObjectReader,
  Publisher,
  RunStore,
  Versioned,
} from '../../functions/pipeline/ports';

export class MemoryDocuments implements DocumentStore {
  readonly docs = new Map<string, { json: string; generation: number }>();
  private counter = 0;

  async create(key: string, value: unknown): Promise<boolean> {
    if (this.docs.has(key)) return false;
    this.docs.set(key, { json: JSON.stringify(value), generation: ++this.counter });
    return true;
  }

  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    const doc = this.docs.get(key);
    return doc && { value: JSON.parse(doc.json) as T, generation: String(doc.generation) };
  }

  async update(key: string, value: unknown, generation: string): Promise<string | undefined> {
    const doc = this.docs.get(key);
    if (!doc || String(doc.generation) !== generation) return undefined;
    this.docs.set(key, { json: JSON.stringify(value), generation: ++this.counter });
    return String(this.counter);
  }

  async delete(key: string, generation?: string): Promise<void> {
    if (generation === undefined || String(this.docs.get(key)?.generation) === generation) this.docs.delete(key);
  }
}

export class MemoryRuns implements RunStore {
  readonly documents = new MemoryDocuments();

  create(run: RunRecord) {
    return this.documents.create(run.runId, run);
  }
  get(runId: string) {
    return this.documents.get<RunRecord>(runId);
  }
  update(run: RunRecord, generation: string) {
    return this.documents.update(run.runId, run, generation);
  }
  async list() {
    return [...this.documents.docs.values()].map((doc) => JSON.parse(doc.json) as RunRecord);
  }
}

export class MemoryPublisher implements Publisher {
  readonly messages: Array<{ topic: string; data: object }> = [];
  failNext = 0;

  async publish(topic: string, data: object): Promise<string> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw Object.assign(new Error('publish failed'), { code: 14 });
    }
    this.messages.push({ topic, data: JSON.parse(JSON.stringify(data)) as object });
    return String(this.messages.length);
  }

  on(topic: string): object[] {
    return this.messages.filter((m) => m.topic === topic).map((m) => m.data);
  }
}

export function fixedClock(start = '2026-11-23T10:00:00Z'): Clock & { advance(ms: number): void } {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

export function silentLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string) => {
    lines.push(`${level}: ${message}`);
  };
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}

/** Objects held in memory (a golden set, say). */
export class MemoryObjects implements ObjectReader {
  constructor(private readonly files: Record<string, string>) {}
  async list(): Promise<ObjectInfo[]> {
    return [];
  }
  async stat(_bucket: string, name: string): Promise<ObjectInfo | undefined> {
    const text = this.files[name];
    return text === undefined ? undefined : { name, size: Buffer.byteLength(text), generation: '1' };
  }
  async read(_bucket: string, name: string): Promise<Uint8Array> {
    return new TextEncoder().encode(this.files[name]);
  }
  async *readStream(bucket: string, name: string): AsyncIterable<Uint8Array> {
    yield await this.read(bucket, name);
  }
}
