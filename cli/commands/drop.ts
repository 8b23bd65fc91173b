import { parseCommandArgs } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { Command } from '../io';
import { dropArtifact } from '../stack/drop-artifact';
import { resolveTarget } from '../stack/target';

/** `ferry drop <local artifact> <bucket path>`: uploads it into the artifacts bucket, which starts a run. */
export const drop: Command = async (args, io) => {
  const parsed = parseCommandArgs(COMMAND_SPECS.drop, args);
  const { positionals } = parsed;
  try {
    const target = await resolveTarget();
    const uploaded = await dropArtifact(
      target.storage,
      target.artifactsBucket,
      positionals[0],
      positionals[1],
      parsed.flag('pb-first') ? 'pb-first' : 'pb-last',
    );
    io.out(
      `uploaded ${uploaded.length} file(s) to gs://${target.artifactsBucket}/${positionals[1]}; follow it with: ferry status`,
    );
    return 0;
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
};
