import { createHash } from 'node:crypto';
import { readTflite } from '../../functions/artifacts/tflite/read-tflite';
import { TfliteError } from '../../functions/artifacts/tflite/tflite-error';
import { rpcCodeOf } from './rest-error';
import type { RpcStatus } from './wire-types';

/** Reads a model file by gs:// uri (the local stack wires this to the Storage emulator). */
export type ReadObject = (gsUri: string) => Promise<Uint8Array>;
/** Returns why the bytes are not an acceptable model, or undefined when they are. */
export type ValidateModel = (bytes: Uint8Array, file: string) => string | undefined;

/**
 * Size above which a file gets a validation error. 40 MB is the hosted-model limit as we remember
 * it from the Firebase console, not checked against a current document; configurable per emulator.
 */
export const DEFAULT_MAX_MODEL_BYTES = 40 * 1024 * 1024;

/** A read that never answers must not lock the model forever. */
export const READ_TIMEOUT_MS = 30_000;

export type FileCheck = { ok: true; sizeBytes: number; modelHash: string } | { ok: false; error: RpcStatus };

/** The default validator: ferry's bounds-checked TFLite reader, so hostile files are refused, not parsed blindly. */
export const validateTflite: ValidateModel = (bytes, file) => {
  try {
    readTflite(bytes, file);
    return undefined;
  } catch (error) {
    if (error instanceof TfliteError) return error.message;
    return `${file}: could not be read as TFLite (${(error as Error).message})`;
  }
};

/**
 * What the service's validation step decides about one file: unreadable, too large or not a
 * valid model → a `validationError` (`google.rpc.Status`) on the model, as the real service
 * reports it; otherwise its size and hash.
 */
export async function checkModelFile(
  gsUri: string,
  readObject: ReadObject,
  validate: ValidateModel,
  maxModelBytes: number,
  readTimeoutMs = READ_TIMEOUT_MS,
): Promise<FileCheck> {
  let bytes: Uint8Array;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${readTimeoutMs} ms`)), readTimeoutMs);
    });
    bytes = await Promise.race([Promise.resolve().then(() => readObject(gsUri)), timeout]);
  } catch (error) {
    return {
      ok: false,
      error: {
        code: rpcCodeOf('NOT_FOUND'),
        message: `${gsUri}: cannot read the model file (${(error as Error).message}); upload it and update the model`,
      },
    };
  } finally {
    clearTimeout(timer);
  }
  if (bytes.byteLength > maxModelBytes) {
    return {
      ok: false,
      error: {
        code: rpcCodeOf('INVALID_ARGUMENT'),
        message: `${gsUri}: ${bytes.byteLength} bytes; Firebase ML hosts models of at most ${maxModelBytes} bytes`,
      },
    };
  }
  let problem: string | undefined;
  try {
    problem = validate(bytes, gsUri);
  } catch (error) {
    problem = `${gsUri}: validation failed (${(error as Error).message})`;
  }
  if (problem) return { ok: false, error: { code: rpcCodeOf('INVALID_ARGUMENT'), message: problem } };
  return { ok: true, sizeBytes: bytes.byteLength, modelHash: createHash('sha256').update(bytes).digest('hex') };
}
