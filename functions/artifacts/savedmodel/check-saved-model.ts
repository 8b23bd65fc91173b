/**
 * The whole of `saved_model.pb`, decoded strictly and checked for the references TensorFlow
 * resolves at load time: what `readSavedModel` (signatures only, the graph skipped) cannot see.
 * One flipped bit in a node name or an op passes the lazy read and fails only when Vertex AI
 * loads the model, 30 minutes into a deployment (issue 12 §5); this finds it at upload.
 * Cost: one pass over the bytes plus a protobufjs decode of every message (graph, function
 * library, object graph), linear in the file.
 */
import { savedModelGraphProblems } from './graph-problems';
import { SavedModelError } from './saved-model-error';
import { checkWire, WireError } from './strict-wire';
import { decodeSavedModel, tfType, type SavedModel } from './tf-proto';

const REEXPORT = 'the file is corrupt or was changed after export: upload it again from the exporter';

/**
 * Throws `SavedModelError` naming `file` when the bytes are not a SavedModel TensorFlow would
 * load (malformed wire format, invalid UTF-8, dangling references); returns the decoded model.
 */
export function checkSavedModel(bytes: Uint8Array, file = 'saved_model.pb'): SavedModel {
  try {
    checkWire(tfType('SavedModel'), bytes);
  } catch (error) {
    if (!(error instanceof WireError)) throw error;
    throw new SavedModelError(file, `is not a valid SavedModel protobuf (${error.message})`, REEXPORT);
  }
  const model = decodeSavedModel(bytes, file);
  const problems = savedModelGraphProblems(model);
  if (problems.length > 0)
    throw new SavedModelError(file, `holds a graph TensorFlow cannot load: ${problems.join('; ')}`, REEXPORT);
  return model;
}
