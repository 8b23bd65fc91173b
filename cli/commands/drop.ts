import { stat } from 'node:fs/promises';
import { parseCommandArgs } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import { classifyDropPath, unwatchedMessage } from '../drop-path';
import type { Command } from '../io';
import { dropArtifact } from '../stack/drop-artifact';
import { checkGoldenSet } from '../stack/missing-golden-set';
import { resolveTarget } from '../stack/target';
import { loadCliWorkflows } from '../workflows-dir';

/**
 * `ferry drop <local artifact> <bucket path> [--force]`: uploads it into the artifacts bucket,
 * which starts a run. Refuses (unless --force) what would start nothing or burn the version: a
 * path no workflow watches, a model whose golden set is missing.
 */
export const drop: Command = async (args, io) => {
  const parsed = parseCommandArgs(COMMAND_SPECS.drop, args);
  const [localPath, bucketPath] = parsed.positionals;
  const force = parsed.flag('force');
  try {
    const info = await stat(localPath).catch(() => undefined);
    if (!info) throw new Error(`${localPath}: no such file or folder`);
    const target = await resolveTarget();
    const where = classifyDropPath(loadCliWorkflows(), bucketPath, info.isDirectory(), target.artifactsBucket);
    if (!force && where.kind === 'unwatched') {
      io.err(`${unwatchedMessage(bucketPath, where.nearest)}. Drop it there, or add --force to upload anyway.`);
      return 1;
    }
    if (where.kind === 'artifact') {
      const golden = await checkGoldenSet(
        target.storage,
        target.artifactsBucket,
        where.match,
        localPath,
        info.isDirectory(),
      );
      if (golden.status === 'missing' && !force) {
        io.err(`${golden.problem}. Nothing uploaded; --force uploads anyway (${golden.then}).`);
        return 1;
      }
      if (golden.status === 'missing') io.err(`warning: ${golden.problem}; uploading anyway (--force): ${golden.then}`);
    }
    const uploaded = await dropArtifact(
      target.storage,
      target.artifactsBucket,
      localPath,
      bucketPath,
      parsed.flag('pb-first') ? 'pb-first' : 'pb-last',
    );
    io.out(`uploaded ${uploaded.length} file(s) to gs://${target.artifactsBucket}/${bucketPath}`);
    if (where.kind === 'artifact')
      io.out(
        `workflow ${where.match.workflow.name} takes it as version ${where.match.version}; follow it with: ferry status`,
      );
    else if (where.kind === 'golden')
      io.out(
        `the golden set of ${where.workflows.map((w) => `${w.name} (${w.match})`).join(', ')}: it starts no run; their next runs use it`,
      );
    else io.out('no workflow watches this path: it starts no run');
    return 0;
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
};
