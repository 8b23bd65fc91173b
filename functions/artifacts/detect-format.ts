/**
 * Tells what landed before anything parses it: a SavedModel, a TFLite file, or one of the formats
 * people often drop instead, with what to export. Works on names and the first bytes only.
 */
export type Detected =
  | { kind: 'savedmodel'; textFormat: boolean }
  | { kind: 'tflite' }
  | { kind: 'unsupported'; format: string; advice: string };

const SAVEDMODEL_ADVICE =
  'ferry serves TensorFlow SavedModels (Vertex AI prebuilt containers) and .tflite files (mobile)';

const MAGIC = {
  zip: [0x50, 0x4b, 0x03, 0x04],
  hdf5: [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a],
  pickle: [0x80],
};

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

function isTflite(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && String.fromCharCode(...bytes.subarray(4, 8)) === 'TFL3';
}

/** Classifies one file by its name and first bytes (16 are enough). */
export function detectFile(name: string, head: Uint8Array): Detected {
  const lower = name.toLowerCase();
  if (lower.endsWith('.tflite') || isTflite(head)) return { kind: 'tflite' };
  if (lower.endsWith('.keras')) {
    return unsupported(
      'a Keras v3 .keras archive',
      'load it in Keras and call model.export("path") to write a SavedModel, or convert it with tf.lite.TFLiteConverter for mobile',
    );
  }
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5') || startsWith(head, MAGIC.hdf5)) {
    return unsupported(
      'a Keras HDF5 (.h5) model',
      'load it with keras.models.load_model and call model.export("path") to write a SavedModel',
    );
  }
  if (lower.endsWith('.onnx')) {
    return unsupported(
      'an ONNX model',
      'export a TensorFlow SavedModel from the training code (or convert with onnx2tf), or serve ONNX from a custom container outside ferry',
    );
  }
  if (
    lower.endsWith('.pt') ||
    lower.endsWith('.pth') ||
    lower.endsWith('.torchscript') ||
    startsWith(head, MAGIC.pickle)
  ) {
    return unsupported(
      'a PyTorch / TorchScript model',
      'ferry promotes TensorFlow models only; convert to a SavedModel or .tflite (e.g. with ai-edge-torch) first',
    );
  }
  if (lower.endsWith('model.json')) {
    return unsupported(
      'a TensorFlow.js model.json',
      'upload the SavedModel it was converted from, or convert back with tensorflowjs_converter --output_format=tf_saved_model',
    );
  }
  if (lower.endsWith('.pb')) {
    return unsupported(
      'a single .pb file (a frozen GraphDef?)',
      'upload the whole SavedModel folder: saved_model.pb with variables/ beside it (tf.saved_model.save(model, path))',
    );
  }
  if (startsWith(head, MAGIC.zip)) {
    return unsupported(
      'a zip archive',
      'unzip it and upload the SavedModel folder (saved_model.pb, variables/) or the .tflite file itself',
    );
  }
  return unsupported(`an unrecognised file (${name})`, 'upload a SavedModel folder or a .tflite file');
}

/** Classifies a folder by the relative paths of its files. */
export function detectFolder(paths: Iterable<string>): Detected {
  const all = [...paths];
  const has = (name: string) => all.includes(name);
  if (has('saved_model.pb')) return { kind: 'savedmodel', textFormat: false };
  if (has('saved_model.pbtxt')) return { kind: 'savedmodel', textFormat: true };
  if (has('keras_metadata.pb') || all.some((p) => p.endsWith('.keras'))) {
    return unsupported(
      'a Keras model folder without saved_model.pb',
      'call model.export("path") in Keras 3 to write a SavedModel',
    );
  }
  if (has('model.json')) return detectFile('model.json', new Uint8Array());
  if (all.some((p) => p.startsWith('variables/')) || all.some((p) => /(^|\/)checkpoint$|\.index$/.test(p))) {
    return unsupported(
      'a checkpoint without saved_model.pb',
      'a checkpoint holds weights but no graph; write a SavedModel with tf.saved_model.save(model, path) or model.export(path)',
    );
  }
  const tflite = all.filter((p) => p.endsWith('.tflite'));
  if (tflite.length === 1) return { kind: 'tflite' };
  if (all.length === 0) return unsupported('an empty folder', 'upload a SavedModel folder or a .tflite file');
  return unsupported(
    'a folder without saved_model.pb',
    'upload a SavedModel folder (saved_model.pb, variables/) or a single .tflite file',
  );
}

function unsupported(format: string, advice: string): Detected {
  return { kind: 'unsupported', format, advice: `${advice} (${SAVEDMODEL_ADVICE})` };
}
