import { PortError } from '../../functions/core/errors';
import type {
  ManifestRollout,
  MobileRelease,
  RemoteConfigTemplate,
  RemoteConfigTemplates,
  RolloutManifest,
} from '../../functions/pipeline/ports';

/**
 * An in-memory Remote Config project that keeps ETags the way the service does: every publish
 * gets a new ETag and version number, and a publish whose template carries an ETag other than the
 * current one is refused (PortError `conflict`), as the REST API's If-Match does. `consoleEdit`
 * publishes a change as a person in the console would (the ETag moves under the pipeline's feet);
 * `failNext` injects service errors (`busy` for 429/503, `invalid`).
 */
export class MemoryRemoteConfig implements RemoteConfigTemplates {
  private current: RemoteConfigTemplate;
  private version = 1;
  readonly history: RemoteConfigTemplate[] = [];
  readonly published: Array<{ description?: string; versionNumber: string }> = [];
  private faults: PortError[] = [];
  /** Runs after a `get`, before the caller's publish: a console edit racing the pipeline. */
  private raceAfterGet: Array<(template: RemoteConfigTemplate) => void> = [];

  constructor(initial: Omit<RemoteConfigTemplate, 'etag' | 'version'>) {
    this.current = this.stamp(structuredClone(initial));
    this.history.push(this.current);
  }

  async get(): Promise<RemoteConfigTemplate> {
    this.throwFault();
    const read = structuredClone(this.current);
    const race = this.raceAfterGet.shift();
    if (race) this.consoleEdit(race);
    return read;
  }

  async publish(template: RemoteConfigTemplate, description?: string): Promise<RemoteConfigTemplate> {
    this.throwFault();
    if (template.etag !== this.current.etag)
      throw new PortError(
        'conflict',
        `the template changed since it was read (etag ${template.etag}, now ${this.current.etag})`,
      );
    const { etag: _etag, version: _version, ...body } = structuredClone(template);
    this.current = this.stamp(body, description);
    this.history.push(this.current);
    this.published.push({ description, versionNumber: this.current.version!.versionNumber! });
    return structuredClone(this.current);
  }

  /** The template as stored now (no ETag check, no fault). */
  peek(): RemoteConfigTemplate {
    return structuredClone(this.current);
  }

  /** A person publishing a change in the Firebase console. */
  consoleEdit(change: (template: RemoteConfigTemplate) => void): void {
    const { etag: _etag, version: _version, ...body } = structuredClone(this.current);
    const edited = body as RemoteConfigTemplate;
    change(edited);
    const { etag: _e, version: _v, ...rest } = edited;
    this.current = this.stamp(rest, 'console edit');
    this.history.push(this.current);
  }

  /** The next `count` edits happen between a caller's get and its publish. */
  editAfterNextGet(change: (template: RemoteConfigTemplate) => void, count = 1): void {
    for (let i = 0; i < count; i += 1) this.raceAfterGet.push(change);
  }

  failNext(kind: 'busy' | 'invalid', times = 1): void {
    for (let i = 0; i < times; i += 1) this.faults.push(new PortError(kind, `Remote Config: injected ${kind}`));
  }

  private throwFault(): void {
    const fault = this.faults.shift();
    if (fault) throw fault;
  }

  private stamp(body: Omit<RemoteConfigTemplate, 'etag' | 'version'>, description?: string): RemoteConfigTemplate {
    this.version += this.history.length === 0 ? 0 : 1;
    const versionNumber = String(this.version);
    return {
      ...body,
      etag: `etag-${versionNumber}`,
      version: { versionNumber, ...(description ? { description } : {}) },
    };
  }
}

/** The manifest's rollout entries as a RolloutManifest keeps them, in memory (calls recorded). */
export class MemoryRolloutManifest implements RolloutManifest {
  readonly manifests = new Map<
    string,
    { current?: string; previous?: string; runId?: string; rollout?: ManifestRollout }
  >();
  readonly calls: string[] = [];

  async stage(release: MobileRelease, rollout: ManifestRollout): Promise<string> {
    this.calls.push(`stage ${release.version} ${rollout.percent}`);
    const manifest = this.manifests.get(release.modelName) ?? {};
    if (manifest.rollout?.runId !== rollout.runId || !manifest.rollout) manifest.rollout = rollout;
    this.manifests.set(release.modelName, manifest);
    return `staged ${rollout.candidate.object}`;
  }

  async widen(modelName: string, runId: string, percent: number): Promise<void> {
    this.calls.push(`widen ${percent}`);
    const rollout = this.manifests.get(modelName)?.rollout;
    if (rollout?.runId === runId) rollout.percent = percent;
  }

  async complete(modelName: string, runId: string): Promise<void> {
    this.calls.push('complete');
    const manifest = this.manifests.get(modelName);
    if (manifest?.rollout?.runId !== runId) return;
    if (manifest.current) manifest.previous = manifest.current;
    manifest.current = manifest.rollout.candidate.version;
    manifest.runId = runId;
    delete manifest.rollout;
  }

  async revert(modelName: string, runId: string): Promise<string> {
    this.calls.push('revert');
    const manifest = this.manifests.get(modelName);
    if (manifest?.runId !== runId || !manifest.previous) return 'nothing to revert';
    manifest.current = manifest.previous;
    delete manifest.previous;
    delete manifest.runId;
    return `manifest back at ${manifest.current}`;
  }

  async clear(modelName: string, runId: string): Promise<void> {
    this.calls.push('clear');
    const manifest = this.manifests.get(modelName);
    if (manifest?.rollout?.runId === runId) delete manifest.rollout;
  }
}
