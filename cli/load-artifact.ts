import { readFile, stat } from 'node:fs/promises';
import { folderFiles } from '../functions/artifacts/artifact-files';
import {
  inspectFile,
  inspectFolder,
  type InspectOptions,
  type InspectReport,
} from '../functions/artifacts/inspect-artifact';

/** Inspects a local SavedModel folder or model file; a missing path is a clear error. */
export async function inspectPath(path: string, options: InspectOptions = {}): Promise<InspectReport> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new Error(`${path}: no such file or folder; give a SavedModel folder or a .tflite file`);
  if (info.isDirectory()) return inspectFolder(folderFiles(path), options);
  return inspectFile(new Uint8Array(await readFile(path)), path);
}

/** One line for a thrown error, naming the file when the error did not. */
export function errorLine(path: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.includes(path) ? message : `${path}: ${message}`;
}
