import type { RunRecord } from '../../core/run/run-record';
import type { RunStore, Versioned } from '../../pipeline/ports';
import type { GcsDocuments } from './gcs-documents';

/** Run records as `runs/<runId>.json` in the state bucket. */
export class GcsRunStore implements RunStore {
  constructor(private readonly documents: GcsDocuments) {}

  create(run: RunRecord): Promise<boolean> {
    return this.documents.create(`runs/${run.runId}.json`, run);
  }

  get(runId: string): Promise<Versioned<RunRecord> | undefined> {
    return this.documents.get<RunRecord>(`runs/${runId}.json`);
  }

  update(run: RunRecord, generation: string): Promise<string | undefined> {
    return this.documents.update(`runs/${run.runId}.json`, run, generation);
  }

  list(): Promise<RunRecord[]> {
    return this.documents.list<RunRecord>('runs/');
  }
}
