/**
 * `npm run package [-- --out DIR] [entryPoint...]`: one bundle per Cloud Function in
 * `build/functions/<entryPoint>/`, which Terraform zips and uploads (terraform/functions.tf).
 */
import { join, relative, resolve } from 'node:path';
import { ENTRY_POINTS } from '../../functions/entry-points';
import { bundleFunction } from './bundle-function';
import { functionNeeds } from './function-needs';

export const DEFAULT_OUT = 'build/functions';

export async function packageFunctions(
  root: string,
  outDir: string,
  only: string[] = [],
): Promise<Awaited<ReturnType<typeof bundleFunction>>[]> {
  const unknown = only.filter((name) => !(ENTRY_POINTS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown entry point ${unknown.join(', ')}; known: ${ENTRY_POINTS.join(', ')}`);
  const names = only.length > 0 ? only : [...ENTRY_POINTS];
  const reports = [];
  for (const name of names) reports.push(await bundleFunction(root, outDir, functionNeeds(root, name)));
  return reports;
}

async function main(args: string[]): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  const outIndex = args.indexOf('--out');
  const outDir = resolve(outIndex >= 0 ? (args[outIndex + 1] ?? '') : join(root, DEFAULT_OUT));
  const only = args.filter((arg, i) => !arg.startsWith('--') && (outIndex < 0 || i !== outIndex + 1));
  for (const r of await packageFunctions(root, outDir, only)) {
    const protos = r.vertexTypes
      ? `, Vertex protos ${r.vertexTypes} types / ${(r.vertexProtoBytes! / 1024).toFixed(0)} KiB`
      : '';
    process.stdout.write(
      `${r.entryPoint.padEnd(20)} ${relative(process.cwd(), r.dir)}  bundle ${(r.bundleBytes / 2 ** 20).toFixed(2)} MiB, ${r.files} files ${(r.totalBytes / 2 ** 20).toFixed(2)} MiB${protos}\n`,
    );
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
