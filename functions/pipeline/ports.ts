/**
 * The narrow interfaces the pipeline's stages work through. Entry points wire in the adapters over
 * the official Google clients (functions/adapters/*); unit tests pass small in-memory versions.
 */
import type { RunRecord } from '../core/run/run-record';
import type { TrafficSplit } from '../core/traffic-split';

export interface ObjectInfo {
  name: string;
  size: number;
  generation: string;
}

/** Reads of the artifacts (and golden sets) in Cloud Storage. */
export interface ObjectReader {
  /** Every object under `prefix`, following pages. */
  list(bucket: string, prefix: string): Promise<ObjectInfo[]>;
  /** Undefined when the object does not exist. */
  stat(bucket: string, name: string): Promise<ObjectInfo | undefined>;
  read(bucket: string, name: string): Promise<Uint8Array>;
  /**
   * The object's bytes (from `start`, when given) in chunks, without holding the whole object:
   * checkpoint shards run to gigabytes in a 512 MB function. Errors are thrown by the iteration,
   * classified as `read` classifies them (a transient one mid-stream is retried, not a verdict).
   */
  readStream(bucket: string, name: string, start?: number): AsyncIterable<Uint8Array>;
}

/** A stored document and the generation to compare-and-set against. */
export interface Versioned<T> {
  value: T;
  generation: string;
}

/** Run records with create-only writes and compare-and-set updates. */
export interface RunStore {
  /** False when a run with this id exists already (a duplicate event). */
  create(run: RunRecord): Promise<boolean>;
  get(runId: string): Promise<Versioned<RunRecord> | undefined>;
  /** The new generation; undefined when someone else updated it first (reload and decide again). */
  update(run: RunRecord, generation: string): Promise<string | undefined>;
  list(): Promise<RunRecord[]>;
}

/** Small JSON documents with the same guarantees (completeness tracking of multi-file artifacts). */
export interface DocumentStore {
  create(key: string, value: unknown): Promise<boolean>;
  get<T>(key: string): Promise<Versioned<T> | undefined>;
  /** The new generation; undefined when the generation no longer matches. */
  update(key: string, value: unknown, generation: string): Promise<string | undefined>;
  /** With `generation`, deletes only that generation (a newer one, or none, is left alone). */
  delete(key: string, generation?: string): Promise<void>;
}

export interface Publisher {
  publish(topic: string, data: object, attributes?: Record<string, string>): Promise<string>;
}

export interface ModelVersionRef {
  /** `projects/p/locations/l/models/123` */
  name: string;
  versionId: string;
  /** `projects/p/locations/l/models/123@2` */
  versionName: string;
  aliases: string[];
}

export interface UploadRequest {
  displayName: string;
  description?: string;
  artifactUri: string;
  servingImage: string;
  labels: Record<string, string>;
  aliases: string[];
  /** Present when the model already exists: the new version goes under it. */
  parentModel?: string;
  /** `projects/P/locations/L` of a workflow environment elsewhere; absent: the functions' own. */
  parent?: string;
}

/**
 * Vertex CopyModel: the same Model Registry version copied into another region (same project;
 * Vertex refuses a source in another project).
 * @see https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.models/copy
 */
export interface CopyRequest {
  /** `projects/P/locations/SOURCE/models/M@V` */
  sourceVersionName: string;
  /** `projects/P/locations/DESTINATION` */
  parent: string;
  /** Present when the destination already holds the model: the copy becomes a new version of it. */
  parentModel?: string;
}

/**
 * A long-running operation that was not done when started: the stage records it on the run and
 * hands it to awaitOperation instead of waiting inside its function's time limit.
 */
export interface PendingOperation {
  operation: string;
}

export function isPending(value: object): value is PendingOperation {
  return typeof (value as Partial<PendingOperation>).operation === 'string';
}

/** Vertex AI Model Registry. Refused requests arrive as PortErrors `invalid` / `not-found` (core/errors.ts). */
export interface ModelRegistry {
  /** The parent model for a display name (the one ferry labelled as its workflow's), if any. */
  findModel(displayName: string, workflow: string, parent?: string): Promise<string | undefined>;
  /** A version already uploaded by this run (a retry after a crash finds it here). */
  findVersionByRun(parentModel: string, runId: string): Promise<ModelVersionRef | undefined>;
  /** Starts UploadModel: the version when done at once, else the operation (the version is invisible until it is done). */
  upload(request: UploadRequest): Promise<ModelVersionRef | PendingOperation>;
  /** Starts CopyModel: the copied version when done at once, else the operation. */
  copy(request: CopyRequest): Promise<ModelVersionRef | PendingOperation>;
  /** Status of an operation the registry started; a failing poll is retried for at most `withinMs`. */
  operation(name: string, withinMs?: number): Promise<OperationStatus>;
  /** Adds aliases (moving them from other versions); `-alias` removes. */
  mergeAliases(versionName: string, aliases: string[]): Promise<void>;
  /** The aliases a version holds now (`default`, `v7`…): `ferry rollback` checks where `default` is. */
  aliasesOf(versionName: string): Promise<string[]>;
}

export interface DeployedModelInfo {
  id: string;
  model: string;
  modelVersionId: string;
  displayName: string;
}

export interface EndpointInfo {
  name: string;
  trafficSplit: TrafficSplit;
  deployedModels: DeployedModelInfo[];
  etag?: string;
}

export interface DeployRequest {
  endpoint: string;
  model: string;
  deployedModelId: string;
  displayName: string;
  machineType: string;
  minReplicas: number;
  maxReplicas: number;
  trafficSplit: TrafficSplit;
}

export interface OperationStatus {
  done: boolean;
  error?: { code: number; message: string };
}

/**
 * Vertex AI endpoints and their long-running operations. Failures the stages act on arrive as
 * PortErrors (core/errors.ts): `not-found` (get, undeploy), `already-exists` (deploy: this
 * deployed-model id is on the endpoint or on its way), `busy` (deploy: the endpoint runs another
 * operation; transient), `invalid` (a refused request).
 */
export interface Endpoints {
  /** The workflow's endpoint if it exists, without creating it. */
  find(displayName: string, workflow: string, parent?: string): Promise<EndpointInfo | undefined>;
  /**
   * The endpoint, or the CreateEndpoint operation when it was not done at once. `parent`
   * (`projects/P/locations/L`) places it in a workflow environment elsewhere; every other method
   * takes full resource names, whose location picks the regional client.
   */
  getOrCreate(displayName: string, workflow: string, parent?: string): Promise<EndpointInfo | PendingOperation>;
  get(endpoint: string): Promise<EndpointInfo>;
  /** Starts DeployModel; returns the operation name without waiting. */
  deploy(request: DeployRequest): Promise<string>;
  /** Starts UndeployModel with the split that remains; returns the operation name. */
  undeploy(endpoint: string, deployedModelId: string, trafficSplit: TrafficSplit): Promise<string>;
  setSplit(endpoint: string, trafficSplit: TrafficSplit): Promise<void>;
  /** Status of an operation on an endpoint; a failing poll is retried for at most `withinMs`. */
  operation(name: string, withinMs?: number): Promise<OperationStatus>;
}

export interface PredictResult {
  predictions: unknown[];
  deployedModelId: string;
}

export interface Predictor {
  predict(endpoint: string, instances: unknown[]): Promise<PredictResult>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What static checks found; problems reject the artifact before anything is deployed. */
export interface StaticCheckResult {
  problems: string[];
  /** Signatures, TensorFlow version, sizes, checkpoint figures: kept in the run record. */
  facts: Record<string, unknown>;
}

/** The inspector over an artifact in Cloud Storage. */
export interface ArtifactChecker {
  /**
   * Files a SavedModel folder still lacks, given what is listed (reads saved_model.pb and the
   * checkpoint index); a golden set the workflow keeps beside the model (`./golden.jsonl`) counts too.
   */
  missingFiles(workflowName: string, bucket: string, root: string, listing: ObjectInfo[]): Promise<string[]>;
  check(
    workflowName: string,
    kind: 'savedmodel' | 'tflite',
    bucket: string,
    root: string,
    listing: ObjectInfo[],
  ): Promise<StaticCheckResult>;
}

/**
 * Runs a TFLite model on instances (Google's TFLite runtime), for validation before any phone gets
 * it. A well-formed model the runtime cannot execute (a custom op it lacks) is a PortError
 * `not-runnable` (core/errors.ts) whose message says why; other errors concern these instances.
 */
export interface TfliteRunner {
  predict(bytes: Uint8Array, instances: unknown[]): Promise<unknown[]>;
}

/** A validated on-device model on its way to the apps. */
export interface MobileRelease {
  runId: string;
  modelName: string;
  version: string;
  tags: string[];
  bytes: Uint8Array;
  sha256: string;
  /** Where the candidate lies in the artifacts bucket. */
  gcsUri: string;
}

/** One way apps receive models: Firebase ML, or Cloud Storage for Firebase (versioned object + manifest). */
export interface MobileChannel {
  readonly name: 'firebaseMl' | 'firebaseStorage';
  /** Idempotent: publishing the same release twice leaves one release. Returns what a person reads. */
  publish(release: MobileRelease): Promise<string>;
}

/**
 * The manifest's `rollout` entry: the candidate of a staged rollout and the share of app instances
 * it reaches, so apps reading the manifest choose with the same rule as Remote Config's percent
 * condition (core/mobile/in-rollout.ts).
 */
export interface ManifestRollout {
  runId: string;
  parameter: string;
  seed: string;
  percent: number;
  candidate: {
    version: string;
    object: string;
    sha256: string;
    sizeBytes: number;
    tags: string[];
    firebaseMlModel?: string;
  };
}

/**
 * Cloud Storage for Firebase's side of a staged rollout. Every method is idempotent and acts only
 * on the rollout entry of `runId`: a manifest another run has taken over is left alone.
 */
export interface RolloutManifest {
  /** Writes the candidate's versioned object (create-only) and the manifest's rollout entry; the current version stays. */
  stage(release: MobileRelease, rollout: ManifestRollout): Promise<string>;
  /** The entry's new percent. */
  widen(modelName: string, runId: string, percent: number): Promise<void>;
  /** At 100 %: the candidate becomes the manifest's current version and the entry goes (the version it replaced is kept as `previous`). */
  complete(modelName: string, runId: string): Promise<void>;
  /** ferry rollback of a completed rollout: the manifest's `previous` becomes current again, if the run's version is still current. */
  revert(modelName: string, runId: string): Promise<string>;
  /** Abort or rollback: the entry goes, the current version stays. */
  clear(modelName: string, runId: string): Promise<void>;
}

/**
 * A chat room's incoming webhook. `post` resolves once the webhook accepted the message; it throws
 * a PortError `busy` when trying again later may work (429, 5xx, timeout, connection refused) and
 * `invalid` when it will not (any other 4xx: a wrong or revoked URL, a payload it refuses).
 */
export interface ChatWebhook {
  post(payload: object): Promise<void>;
}

/** One Remote Config value: a string, or "use the app's in-app default". */
export interface RemoteConfigValue {
  value?: string;
  useInAppDefault?: boolean;
}

/** A Remote Config template as firebase-admin's `RemoteConfigTemplate` holds it (JSON-safe). */
export interface RemoteConfigTemplate {
  /** In priority order (the first matching condition wins). */
  conditions: Array<{ name: string; expression: string; tagColor?: string }>;
  parameters: Record<
    string,
    {
      defaultValue?: RemoteConfigValue;
      conditionalValues?: Record<string, RemoteConfigValue>;
      description?: string;
      valueType?: string;
    }
  >;
  parameterGroups: Record<string, unknown>;
  /** What `publish` sends as If-Match. */
  etag: string;
  version?: { versionNumber?: string; updateTime?: string; description?: string; updateUser?: { email?: string } };
}

/**
 * The project's Remote Config template, changed only through firebase-admin's `remoteConfig()`.
 * `publish` validates first (`validateTemplate`) then publishes with the template's ETag as If-Match,
 * never `force`: a template changed since it was read (a console edit) is a PortError `conflict`
 * (re-read, reapply or stop); a template the service refuses is `invalid` with its message; quota
 * and 5xx are `busy`.
 */
export interface RemoteConfigTemplates {
  get(): Promise<RemoteConfigTemplate>;
  /** The published template (new ETag and version number). */
  publish(template: RemoteConfigTemplate, description?: string): Promise<RemoteConfigTemplate>;
}
