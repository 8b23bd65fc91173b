import { checkModelFile, type ReadObject, type ValidateModel } from './check-model-file';
import { parseModelFilter } from './list-filter';
import { modelName, toModelJson, type ModelRecord } from './model-record';
import type { PendingValidation, RegistryState } from './registry-state';
import { checkDisplayName, checkPublished, checkTags, checkTfliteModel, type UpdatablePath } from './model-rules';
import { resolveModelSource, type SignerCheck } from './model-source';
import { RestError } from './rest-error';
import { ValidationGate } from './validation-gate';
import {
  MODEL_OPERATION_METADATA_TYPE,
  type ListModelsResponseJson,
  type ModelJson,
  type ModelRequestJson,
  type OperationJson,
} from './wire-types';

export interface RegistryOptions {
  projectId: string;
  readObject: ReadObject;
  validate: ValidateModel;
  maxModelBytes: number;
  /** How long validation keeps a model locked; 0 validates before answering (operation done at once). */
  validationDelayMs: number;
  signer: Omit<SignerCheck, 'nowMs'>;
  now: () => number;
}

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;

/**
 * The state machine behind `projects.models` and `projects.operations`: create and file updates
 * start a validation operation that locks the model (`activeOperations`) until it is done;
 * a locked model refuses changes, and a model with a validation error cannot be published.
 */
export class ModelRegistry {
  private readonly records = new Map<string, ModelRecord>();
  private readonly operations = new Map<string, OperationJson>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Validations not finished yet, by operation name: what to redo if the emulator restarts. */
  private readonly pending = new Map<string, PendingValidation>();
  private nextModelId = 10_000_001;
  private nextOperationId = 1;
  /** Called when a delayed validation finishes, so the new state can be saved. */
  onChange?: () => void;
  /** Held by a test, due validations wait (their models stay locked) until it releases them. */
  readonly validation = new ValidationGate();
  private stopped = false;

  constructor(private readonly options: RegistryOptions) {}

  /** Models, operations, counters and unfinished validations as plain values (a deep copy). */
  exportState(): RegistryState {
    return structuredClone({
      nextModelId: this.nextModelId,
      nextOperationId: this.nextOperationId,
      models: [...this.records.values()],
      operations: [...this.operations.values()],
      pending: [...this.pending.values()],
    });
  }

  /**
   * Loads a saved state into this (empty) registry. A validation that was running when the
   * emulator stopped is run again and finishes at its original time (at once if that has passed):
   * the model stays locked until then, as it would have, and the operation gets its real verdict.
   */
  restoreState(state: RegistryState): void {
    const saved = structuredClone(state);
    this.nextModelId = saved.nextModelId;
    this.nextOperationId = saved.nextOperationId;
    for (const record of saved.models) this.records.set(record.id, record);
    for (const operation of saved.operations) this.operations.set(operation.name, operation);
    for (const job of saved.pending) {
      const record = this.records.get(job.modelId);
      const operation = this.operations.get(job.operation);
      if (!record || !operation || operation.done) continue;
      this.schedule(record, operation, job.gsUri, job.dueAtMs);
    }
  }

  async create(body: ModelRequestJson): Promise<OperationJson> {
    const displayName = checkDisplayName(body.displayName);
    const tags = checkTags(body.tags);
    const uri = checkTfliteModel(body.tfliteModel);
    this.checkUniqueName(displayName);
    const source = uri === undefined ? undefined : this.resolve(uri);
    const now = this.options.now();
    const record: ModelRecord = {
      id: String(this.nextModelId++),
      displayName,
      tags,
      createTimeMs: now,
      updateTimeMs: now,
      version: 1,
      published: false,
    };
    if (source) record.tflite = { gcsTfliteUri: source.gsUri };
    this.records.set(record.id, record);
    return source ? this.validateFile(record, source.gsUri) : this.doneOperation(record);
  }

  get(id: string): ModelJson {
    return toModelJson(this.options.projectId, this.record(id));
  }

  list(filter: string | null, pageSizeRaw: string | null, pageToken: string | null): ListModelsResponseJson {
    const matches = parseModelFilter(filter);
    const pageSize = parsePageSize(pageSizeRaw);
    const after = pageToken ? decodePageToken(pageToken) : 0;
    const ordered = [...this.records.values()]
      .filter((r) => Number(r.id) > after)
      .filter((r) => matches({ displayName: r.displayName, tags: r.tags, published: r.published }))
      .sort((a, b) => Number(a.id) - Number(b.id));
    const page = ordered.slice(0, pageSize);
    const response: ListModelsResponseJson = {};
    if (page.length > 0) response.models = page.map((r) => toModelJson(this.options.projectId, r));
    if (ordered.length > pageSize)
      response.nextPageToken = Buffer.from(`after:${page[page.length - 1].id}`).toString('base64url');
    return response;
  }

  async patch(id: string, mask: UpdatablePath[], body: ModelRequestJson): Promise<OperationJson> {
    const record = this.record(id);
    if (record.activeOperation) {
      throw new RestError(
        'FAILED_PRECONDITION',
        `model ${id} is locked by ${record.activeOperation}; wait until it is unlocked (Model.waitForUnlocked)`,
      );
    }
    const changes: Partial<ModelRecord> = {};
    if (mask.includes('displayName')) {
      changes.displayName = checkDisplayName(body.displayName);
      if (changes.displayName !== record.displayName) this.checkUniqueName(changes.displayName);
    }
    if (mask.includes('tags')) changes.tags = checkTags(body.tags);
    const uri = mask.includes('tfliteModel.gcsTfliteUri') ? checkTfliteModel(body.tfliteModel) : undefined;
    if (mask.includes('tfliteModel.gcsTfliteUri') && uri === undefined) {
      throw new RestError(
        'INVALID_ARGUMENT',
        'tfliteModel.gcsTfliteUri: named in updateMask but missing from the body',
      );
    }
    const source = uri === undefined ? undefined : this.resolve(uri);
    if (mask.includes('state.published')) {
      const published = checkPublished(body.state);
      if (published && source)
        throw new RestError(
          'FAILED_PRECONDITION',
          `model ${id}: publish after the new file has been validated, not in the same update`,
        );
      if (published && !record.tflite)
        throw new RestError(
          'FAILED_PRECONDITION',
          `model ${id} has no model file to publish; update tfliteModel.gcsTfliteUri first`,
        );
      if (published && record.validationError) {
        throw new RestError(
          'FAILED_PRECONDITION',
          `model ${id} failed validation and cannot be published: ${record.validationError.message}`,
        );
      }
      changes.published = published;
    }
    Object.assign(record, changes, { version: record.version + 1, updateTimeMs: this.options.now() });
    if (!source) return this.doneOperation(record);
    record.tflite = { gcsTfliteUri: source.gsUri };
    delete record.modelHash;
    delete record.validationError;
    return this.validateFile(record, source.gsUri);
  }

  delete(id: string): Record<string, never> {
    this.record(id);
    this.records.delete(id);
    return {};
  }

  getOperation(name: string): OperationJson {
    const operation = this.operations.get(name);
    if (!operation) throw new RestError('NOT_FOUND', `operation ${name} does not exist`);
    return structuredClone(operation);
  }

  /** Every model as the wire shows it (for tests). */
  snapshot(): ModelJson[] {
    return [...this.records.values()].map((r) => toModelJson(this.options.projectId, r));
  }

  /** Cancels pending validations (the emulator is stopping). */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private record(id: string): ModelRecord {
    const record = this.records.get(id);
    if (!record) throw new RestError('NOT_FOUND', `model ${modelName(this.options.projectId, id)} does not exist`);
    return record;
  }

  private checkUniqueName(displayName: string): void {
    for (const other of this.records.values()) {
      if (other.displayName === displayName) {
        throw new RestError(
          'ALREADY_EXISTS',
          `displayName ${displayName}: model ${other.id} already has this name; update that model instead`,
        );
      }
    }
  }

  private resolve(uri: string): ReturnType<typeof resolveModelSource> {
    return resolveModelSource(uri, { ...this.options.signer, nowMs: this.options.now() });
  }

  private doneOperation(record: ModelRecord): OperationJson {
    const name = `projects/${this.options.projectId}/operations/${this.nextOperationId++}`;
    const operation: OperationJson = { name, done: true, response: toModelJson(this.options.projectId, record, true) };
    this.operations.set(name, operation);
    return structuredClone(operation);
  }

  /** Locks the model, checks the file (now or after the delay), then unlocks it with the verdict. */
  private async validateFile(record: ModelRecord, gsUri: string): Promise<OperationJson> {
    const name = `projects/${this.options.projectId}/operations/${this.nextOperationId++}`;
    const operation: OperationJson = {
      name,
      done: false,
      metadata: {
        '@type': MODEL_OPERATION_METADATA_TYPE,
        name: modelName(this.options.projectId, record.id),
        basicOperationStatus: 'BASIC_OPERATION_STATUS_VERIFYING',
      },
    };
    this.operations.set(name, operation);
    record.activeOperation = name;
    return this.schedule(record, operation, gsUri, this.options.now() + this.options.validationDelayMs);
  }

  private async schedule(
    record: ModelRecord,
    operation: OperationJson,
    gsUri: string,
    dueAtMs: number,
  ): Promise<OperationJson> {
    const finish = async (): Promise<void> => {
      if (this.stopped) return; // held past stop(): the saved state keeps it pending for a restart
      this.pending.delete(operation.name);
      const verdict = await checkModelFile(
        gsUri,
        this.options.readObject,
        this.options.validate,
        this.options.maxModelBytes,
      );
      if (verdict.ok)
        Object.assign(record, {
          modelHash: verdict.modelHash,
          tflite: { gcsTfliteUri: gsUri, sizeBytes: verdict.sizeBytes },
        });
      else record.validationError = verdict.error;
      delete record.activeOperation;
      record.version += 1;
      record.updateTimeMs = this.options.now();
      operation.done = true;
      operation.response = toModelJson(this.options.projectId, record, true);
    };
    const delayMs = dueAtMs - this.options.now();
    if (delayMs <= 0 && !this.validation.held) {
      await finish();
      return structuredClone(operation);
    }
    this.pending.set(operation.name, { operation: operation.name, modelId: record.id, gsUri, dueAtMs });
    const snapshot = structuredClone(operation);
    const due = (): void =>
      this.validation.pass(() =>
        finish()
          .catch((error: unknown) => {
            this.pending.delete(operation.name);
            delete record.activeOperation;
            operation.done = true;
            operation.error = { code: 13, message: `validation crashed: ${(error as Error).message}` };
          })
          .finally(() => {
            if (!this.stopped) this.onChange?.();
          }),
      );
    if (delayMs <= 0) {
      due();
      return snapshot;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      due();
    }, delayMs);
    this.timers.add(timer);
    return snapshot;
  }
}

function parsePageSize(raw: string | null): number {
  if (raw === null || raw === '') return DEFAULT_PAGE_SIZE;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 0)
    throw new RestError('INVALID_ARGUMENT', `pageSize ${JSON.stringify(raw)}: must be a non-negative integer`);
  return size === 0 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
}

function decodePageToken(token: string): number {
  const match = /^after:(\d{1,15})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match)
    throw new RestError(
      'INVALID_ARGUMENT',
      'pageToken: not a token this service returned; start again without pageToken',
    );
  return Number(match[1]);
}
