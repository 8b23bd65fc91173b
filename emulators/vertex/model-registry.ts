import { timestamp } from './clock';
import { parseFilter, type Filterable } from './list-filter';
import type { Msg } from './protos';
import { type LocationName, type ModelRef, locationPath, modelPath, parseModelName } from './resource-names';
import { RpcError, badField, Code, failedPrecondition, notFound } from './rpc-error';
import { checkAlias, checkAliasList, checkLabels, checkText } from './validation';

/** One model version as the registry keeps it. */
export interface ModelVersion extends Filterable {
  versionId: string;
  versionAliases: string[];
  displayName: string;
  description?: string;
  versionDescription?: string;
  artifactUri?: string;
  containerSpec?: Msg;
  labels: Record<string, string>;
  createTime: number;
  updateTime: number;
  deployedModels: Array<{ endpoint: string; deployedModelId: string }>;
  /** DeployModel operations in flight for this version: it counts as "being deployed". */
  deploying: number;
  etag: string;
}

/** What a version is made of, as UploadModel gives it or CopyModel takes it from the source. */
export type VersionFields = Pick<
  ModelVersion,
  'displayName' | 'description' | 'versionDescription' | 'artifactUri' | 'containerSpec' | 'labels'
>;

/** A model: its versions keyed by version id. */
export interface ModelEntry {
  name: string;
  createTime: number;
  versions: Map<string, ModelVersion>;
  nextVersion: number;
}

/** The alias that marks the version a bare model name resolves to. */
export const DEFAULT_ALIAS = 'default';
const MODEL_ID_RE = /^[a-z_][a-z0-9_-]{0,62}$/;

/**
 * Model Registry state and rules: versions under a parent model, aliases unique within a model
 * (`default` always on exactly one version), lookups by `@version` and `@alias`.
 * https://cloud.google.com/vertex-ai/docs/model-registry/versioning
 */
export class ModelRegistry {
  readonly models = new Map<string, ModelEntry>();
  /** Saved and restored with the emulator's state (dataDir). */
  etagCount = 0;

  /** Draws the id of a model created without `model_id` (UploadModel, CopyModel). */
  constructor(readonly newId: () => string) {}

  nextEtag(): string {
    this.etagCount += 1;
    return `AMEw9y${this.etagCount.toString(36)}`;
  }

  /** Finds a version by `name`, `name@versionId` or `name@alias`; without a suffix the default version. */
  resolve(name: unknown, field: string): { entry: ModelEntry; version: ModelVersion; ref: ModelRef } {
    const ref = parseModelName(name, field);
    const entry = this.models.get(modelPath(ref));
    if (!entry) throw notFound(`Model ${modelPath(ref)} not found.`);
    const wanted = ref.version ?? DEFAULT_ALIAS;
    const version =
      entry.versions.get(wanted) ?? [...entry.versions.values()].find((v) => v.versionAliases.includes(wanted));
    if (!version) throw notFound(`Model ${modelPath(ref)}@${wanted} not found: no version or alias "${wanted}".`);
    return { entry, version, ref };
  }

  /**
   * Where an UploadModel or CopyModel writes: a new version of `parent_model` (which must be in
   * `parent`), or a new model named `model_id` or a generated id (drawn into `ids`).
   */
  destination(parent: LocationName, req: Msg): { target: string; ids: string[] } {
    if (req.parentModel) {
      const ref = parseModelName(req.parentModel, 'parent_model');
      if (ref.version) throw badField('parent_model', 'must name a model without @version.');
      if (locationPath(ref) !== locationPath(parent))
        throw badField('parent_model', 'must be in the location given as parent.');
      return { target: modelPath(ref), ids: [] };
    }
    if (req.modelId !== undefined && req.modelId !== '' && !MODEL_ID_RE.test(req.modelId))
      throw badField('model_id', 'must be at most 63 characters of [a-z0-9_-], not starting with a digit or hyphen.');
    const ids = req.modelId ? [] : [this.newId()];
    return { target: `${locationPath(parent)}/models/${req.modelId || ids[0]}`, ids };
  }

  /** The destination as the request expects it now: `parent_model` exists, a new model does not. */
  checkDestination(target: string, req: Msg): ModelEntry | undefined {
    const entry = this.models.get(target);
    if (req.parentModel && !entry) throw notFound(`Model ${target} not found.`);
    if (!req.parentModel && entry) throw new RpcError(Code.ALREADY_EXISTS, `Model ${target} already exists.`);
    return entry;
  }

  /** Checks an UploadModel request; the returned closure commits it (re-checking aliases then). */
  planUpload(
    parent: LocationName,
    req: Msg,
  ): { name: string; ids: string[]; commit: () => { model: string; modelVersionId: string } } {
    const model = req.model as Msg | undefined;
    if (!model || typeof model !== 'object') throw badField('model', 'is required.');
    const displayName = checkText(model.displayName, 'model.display_name');
    const labels = checkLabels(model.labels, 'model.labels');
    const aliases = checkAliasList(model.versionAliases, 'model.version_aliases');
    if (!model.containerSpec?.imageUri) {
      throw badField(
        'model.container_spec.image_uri',
        'is required: give a serving container image (a prebuilt TensorFlow one for SavedModels).',
      );
    }
    const { target, ids } = this.destination(parent, req);
    const check = (): ModelEntry | undefined => {
      const entry = this.checkDestination(target, req);
      for (const alias of aliases) {
        if (alias === DEFAULT_ALIAS) continue;
        const owner = entry && [...entry.versions.values()].find((v) => v.versionAliases.includes(alias));
        if (owner) {
          throw badField(
            'model.version_aliases',
            `alias "${alias}" is already used by version ${owner.versionId} of ${target}; move it with MergeVersionAliases.`,
          );
        }
      }
      return entry;
    };
    check();
    const commit = (): { model: string; modelVersionId: string } => {
      check();
      const fields = {
        displayName,
        description: model.description,
        versionDescription: model.versionDescription,
        artifactUri: model.artifactUri,
        containerSpec: model.containerSpec,
        labels,
      };
      return this.addVersion(target, fields, aliases);
    };
    return { name: target, ids, commit };
  }

  /**
   * Adds a version to `target`, creating the model if it has none yet. The new version takes
   * `default` when it is the model's first or asks for it (UploadModel's and CopyModel's rule).
   */
  addVersion(target: string, fields: VersionFields, aliases: string[]): { model: string; modelVersionId: string } {
    const now = Date.now();
    const entry: ModelEntry = this.models.get(target) ?? {
      name: target,
      createTime: now,
      versions: new Map(),
      nextVersion: 1,
    };
    const versionId = String(entry.nextVersion);
    const versionAliases = [...aliases];
    if (entry.versions.size === 0 || versionAliases.includes(DEFAULT_ALIAS)) {
      for (const v of entry.versions.values()) v.versionAliases = v.versionAliases.filter((a) => a !== DEFAULT_ALIAS);
      if (!versionAliases.includes(DEFAULT_ALIAS)) versionAliases.unshift(DEFAULT_ALIAS);
    }
    entry.versions.set(versionId, {
      ...fields,
      versionId,
      versionAliases,
      createTime: now,
      updateTime: now,
      deployedModels: [],
      deploying: 0,
      etag: this.nextEtag(),
    });
    entry.nextVersion += 1;
    this.models.set(target, entry);
    return { model: target, modelVersionId: versionId };
  }

  /** ListModels: the default version of each model under `parent` matching `filter`. */
  list(parent: LocationName, filter: unknown): Msg[] {
    const match = parseFilter(filter);
    const prefix = `${locationPath(parent)}/models/`;
    return [...this.models.values()]
      .filter((e) => e.name.startsWith(prefix))
      .map((e) => ({ e, v: this.defaultVersion(e) }))
      .filter(({ v }) => match(v))
      .map(({ e, v }) => this.toProto(e, v));
  }

  listVersions(name: unknown, filter: unknown): Msg[] {
    const { entry, ref } = this.resolve(name, 'name');
    if (ref.version) throw badField('name', 'must name a model without @version.');
    const match = parseFilter(filter);
    return [...entry.versions.values()].filter(match).map((v) => this.toProto(entry, v));
  }

  /** MergeVersionAliases: `x` adds (moving it from another version), `-x` removes; `default` can only move. */
  mergeAliases(name: unknown, aliases: unknown): Msg {
    const ref = parseModelName(name, 'name');
    if (!ref.version)
      throw badField(
        'name',
        'must name a model version: projects/{project}/locations/{location}/models/{model}@{version}.',
      );
    if (!Array.isArray(aliases) || aliases.length === 0) throw badField('version_aliases', 'is required.');
    const { entry, version } = this.resolve(name, 'name');
    const add: string[] = [];
    const remove: string[] = [];
    aliases.forEach((raw, i) => {
      const removing = typeof raw === 'string' && raw.startsWith('-');
      const alias = checkAlias(removing ? raw.slice(1) : raw, `version_aliases[${i}]`);
      if (removing && alias === DEFAULT_ALIAS)
        throw badField(
          `version_aliases[${i}]`,
          'the default alias cannot be removed; add it to another version instead.',
        );
      (removing ? remove : add).push(alias);
    });
    const both = add.find((a) => remove.includes(a));
    if (both) throw badField('version_aliases', `alias "${both}" is both added and removed.`);
    for (const other of entry.versions.values()) {
      if (other === version) continue;
      const before = other.versionAliases.length;
      other.versionAliases = other.versionAliases.filter((a) => !add.includes(a));
      if (other.versionAliases.length !== before) this.touch(other);
    }
    version.versionAliases = [...version.versionAliases.filter((a) => !remove.includes(a) && !add.includes(a)), ...add];
    this.touch(version);
    return this.toProto(entry, version);
  }

  /** DeleteModel pre-check: refused while any version is deployed. */
  checkDelete(name: unknown): ModelEntry {
    const { entry, ref } = this.resolve(name, 'name');
    if (ref.version)
      throw badField('name', 'must name a model without @version; use DeleteModelVersion for one version.');
    const endpoints = [...entry.versions.values()].flatMap((v) => [
      ...v.deployedModels.map((d) => d.endpoint),
      ...(v.deploying > 0 ? ['(deployment in progress)'] : []),
    ]);
    if (endpoints.length > 0) {
      throw failedPrecondition(
        `The Model "${entry.name}" is deployed or being deployed at the following Endpoint(s): ${[...new Set(endpoints)].join(', ')}. Undeploy it first.`,
      );
    }
    return entry;
  }

  /** DeleteModelVersion pre-check: not deployed, and not the default version while others exist. */
  checkDeleteVersion(name: unknown): { entry: ModelEntry; version: ModelVersion } {
    const ref = parseModelName(name, 'name');
    if (!ref.version) throw badField('name', 'must name a model version with @{version}.');
    const { entry, version } = this.resolve(name, 'name');
    if (version.deployedModels.length > 0 || version.deploying > 0)
      throw failedPrecondition(
        `Model version ${entry.name}@${version.versionId} is deployed or being deployed. Undeploy it first.`,
      );
    if (version.versionAliases.includes(DEFAULT_ALIAS) && entry.versions.size > 1) {
      throw failedPrecondition(
        `Model version ${entry.name}@${version.versionId} is the default version; move the default alias first.`,
      );
    }
    return { entry, version };
  }

  defaultVersion(entry: ModelEntry): ModelVersion {
    const found = [...entry.versions.values()].find((v) => v.versionAliases.includes(DEFAULT_ALIAS));
    if (!found) throw new RpcError(Code.INTERNAL, `Model ${entry.name} has no default version.`);
    return found;
  }

  touch(version: ModelVersion): void {
    version.updateTime = Date.now();
    version.etag = this.nextEtag();
  }

  /** The `google.cloud.aiplatform.v1.Model` message for one version. */
  toProto(entry: ModelEntry, v: ModelVersion): Msg {
    return {
      name: entry.name,
      versionId: v.versionId,
      versionAliases: v.versionAliases,
      versionCreateTime: timestamp(v.createTime),
      versionUpdateTime: timestamp(v.updateTime),
      displayName: v.displayName,
      description: v.description,
      versionDescription: v.versionDescription,
      artifactUri: v.artifactUri,
      containerSpec: v.containerSpec,
      labels: v.labels,
      createTime: timestamp(entry.createTime),
      updateTime: timestamp(v.updateTime),
      deployedModels: v.deployedModels,
      supportedDeploymentResourcesTypes: ['DEDICATED_RESOURCES'],
      etag: v.etag,
    };
  }
}
