import { seededRandom } from './random';

/** What an emulator should do to one call, decided before it handles it. */
export interface FaultDecision {
  /** Fail the call with this code (a gRPC status number for gRPC emulators, an HTTP status for REST ones). */
  fail?: { code: number; message: string };
  /** Wait this long before answering. */
  latencyMs: number;
  /** Deliver (or answer) twice, for at-least-once tests of push deliveries. */
  duplicate: boolean;
  /** Hold the call, unhandled, until this settles (`hold(method)` … `release()`). */
  held?: Promise<void>;
}

/** Calls held at the emulator by `FaultInjector.hold`. */
export interface CallHold {
  /** Resolves when the first held call has arrived (it has been counted, not handled). */
  reached: Promise<void>;
  /** Lets every held call (and later ones) through, and ends the hold. */
  release(): void;
}

/** Waits out a decision's hold and latency: what an emulator does before handling the call. */
export async function delayCall(decision: FaultDecision): Promise<void> {
  if (decision.held) await decision.held;
  if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
}

interface FailRule {
  remaining: number;
  code: number;
  message: string;
}

export interface RandomFaults {
  /** Probability in [0, 1] that any call fails. */
  rate: number;
  /** Codes to pick from when a call fails. */
  codes: number[];
  /** Probability that a delivery is duplicated. */
  duplicateRate?: number;
  seed: number;
}

/**
 * Fault injection shared by every emulator: "fail the next N calls of method M with code C",
 * fixed latency, duplicated deliveries, and seeded random faults for the chaos suite.
 * Method names are the emulator's own (`Publish`, `DeployModel`, `objects.insert`, `push`, ...);
 * `*` matches every method.
 */
export class FaultInjector {
  private readonly failures = new Map<string, FailRule[]>();
  private readonly latency = new Map<string, number>();
  private readonly duplicates = new Map<string, number>();
  private readonly holds = new Map<string, { arrived: () => void; released: Promise<void>; release: () => void }>();
  private random?: { config: RandomFaults; next: () => number };

  failNext(method: string, count: number, code: number, message = `injected fault (${code})`): void {
    const rules = this.failures.get(method) ?? [];
    rules.push({ remaining: count, code, message });
    this.failures.set(method, rules);
  }

  /**
   * Fails every call of `method` with `code` until the returned `end()` is called: an outage that
   * lasts as long as the test says, however many calls and retries meet it.
   */
  outage(method: string, code: number, message = `injected outage (${code})`): { end(): void } {
    const rule: FailRule = { remaining: Infinity, code, message };
    const rules = this.failures.get(method) ?? [];
    rules.push(rule);
    this.failures.set(method, rules);
    return {
      end: () => {
        const left = this.failures.get(method)?.filter((r) => r !== rule) ?? [];
        if (left.length > 0) this.failures.set(method, left);
        else this.failures.delete(method);
      },
    };
  }

  addLatency(method: string, ms: number): void {
    this.latency.set(method, ms);
  }

  duplicateNext(method: string, count: number): void {
    this.duplicates.set(method, (this.duplicates.get(method) ?? 0) + count);
  }

  /**
   * Holds every call of `method` at the emulator until `release()`: a test can act at the exact
   * moment a call has arrived (say, make the state write after it fail) without racing a latency
   * window, however slow the machine. Every emulator's calls honour it except StreamingPull.
   */
  hold(method: string): CallHold {
    this.holds.get(method)?.release();
    let arrived = (): void => {};
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    let release = (): void => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const entry = {
      arrived,
      released,
      release: () => {
        if (this.holds.get(method) === entry) this.holds.delete(method);
        release();
      },
    };
    this.holds.set(method, entry);
    return { reached, release: entry.release };
  }

  setRandom(config: RandomFaults | undefined): void {
    this.random = config ? { config, next: seededRandom(config.seed) } : undefined;
  }

  reset(): void {
    this.failures.clear();
    this.latency.clear();
    this.duplicates.clear();
    for (const hold of [...this.holds.values()]) hold.release();
    this.random = undefined;
  }

  /** Consumes the rules that apply to one call of `method`. */
  take(method: string): FaultDecision {
    const decision: FaultDecision = {
      latencyMs: this.latency.get(method) ?? this.latency.get('*') ?? 0,
      duplicate: this.consumeDuplicate(method) || this.consumeDuplicate('*'),
    };
    const hold = this.holds.get(method);
    if (hold) {
      hold.arrived();
      decision.held = hold.released;
    }
    const rule = this.consumeFailure(method) ?? this.consumeFailure('*');
    if (rule) decision.fail = rule;
    else if (this.random) {
      const { config, next } = this.random;
      if (next() < config.rate && config.codes.length > 0) {
        const code = config.codes[Math.floor(next() * config.codes.length)];
        decision.fail = { code, message: `injected random fault (${code})` };
      }
      if (config.duplicateRate && next() < config.duplicateRate) decision.duplicate = true;
    }
    return decision;
  }

  private consumeFailure(method: string): { code: number; message: string } | undefined {
    const rules = this.failures.get(method);
    const rule = rules?.[0];
    if (!rules || !rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) rules.shift();
    return { code: rule.code, message: rule.message };
  }

  private consumeDuplicate(method: string): boolean {
    const left = this.duplicates.get(method) ?? 0;
    if (left <= 0) return false;
    this.duplicates.set(method, left - 1);
    return true;
  }
}
