import { versionAlias } from '../../core/run/run-id';
import type { DocumentStore } from '../ports';

interface AliasClaim {
  version: string;
  runId: string;
}

const key = (workflow: string, alias: string) => `aliases/${workflow}/${alias}.json`;

/**
 * Vertex version aliases allow only `[a-z0-9-]`, so versions that differ only in punctuation or case
 * (`1.0`, `1-0`, `1_0`) share one alias, `v1-0`. The second run would fail at registerModel with
 * the model already half made; instead, the first version of a workflow to reach an alias claims it
 * (a create-only document), and a different version that maps to it is refused before anything is
 * made. The problem text, or undefined when this run holds the alias.
 */
export async function claimVersionAlias(
  store: DocumentStore,
  workflow: string,
  version: string,
  runId: string,
): Promise<string | undefined> {
  const alias = versionAlias(version);
  const mine: AliasClaim = { version, runId };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (await store.create(key(workflow, alias), mine)) return undefined;
    const held = await store.get<AliasClaim>(key(workflow, alias));
    if (!held) continue; // deleted between the two calls: try to take it once more
    if (held.value.runId === runId) return undefined;
    return (
      `version "${version}" maps to the Vertex alias ${alias}, already used by version "${held.value.version}" ` +
      `of workflow ${workflow} (run ${held.value.runId}); aliases keep only letters, digits and "-", ` +
      `so rename the version folder to differ in more than punctuation or case`
    );
  }
  throw new Error(`${key(workflow, alias)}: the alias claim keeps disappearing; the event will be retried`);
}
