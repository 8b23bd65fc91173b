import { readFile, stat } from 'node:fs/promises';
import { folderFiles, singleFile } from '../../functions/artifacts/artifact-files';
import { mismatch } from '../../functions/core/validation/golden-set';
import { loadLocalModel } from '../../functions/runtime/load-local-model';
import { parseCommandArgs } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { Command } from '../io';
import { errorLine } from '../load-artifact';
import { readInstances } from '../read-instances';

/**
 * `ferry predict <artifact> --instances <json|file> [--signature name]`: runs the model locally and
 * prints predictions as TF Serving does. Given a golden set, checks every example and says which differ.
 */
export const predict: Command = async (args, io) => {
  const parsed = parseCommandArgs(COMMAND_SPECS.predict, args);
  const [path] = parsed.positionals;
  const instances = parsed.string('instances') ?? '';
  try {
    const input = await readInstances(instances);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new Error(`${path}: no such file or folder`);
    const files = info.isDirectory() ? folderFiles(path) : singleFile(path, new Uint8Array(await readFile(path)));
    const model = await loadLocalModel(files, { signature: parsed.string('signature') });
    try {
      if (input.kind === 'instances') {
        io.out(JSON.stringify({ predictions: await model.predict(input.instances) }));
        return 0;
      }
      const predictions = await model.predict(input.examples.map((e) => e.instance));
      const problems = input.examples
        .map((e, i) => mismatch(e.expected, predictions[i], e.tolerance, `line ${e.line}`))
        .filter((p): p is string => p !== undefined);
      for (const problem of problems) io.err(`${instances} ${problem}`);
      io.out(`${input.examples.length - problems.length} of ${input.examples.length} golden examples match`);
      return problems.length === 0 ? 0 : 1;
    } finally {
      model.dispose();
    }
  } catch (error) {
    io.err(errorLine(path, error));
    return 1;
  }
};
