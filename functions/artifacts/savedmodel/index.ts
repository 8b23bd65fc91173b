/**
 * TensorFlow SavedModel files over byte buffers: the protobuf schema (binary and text format),
 * the signature reader, and the example model writer used on fresh clones.
 * https://www.tensorflow.org/guide/saved_model
 */
export { SavedModelError } from './saved-model-error';
export type { MetaGraphInfo, SavedModelInfo, SignatureInfo, SignatureTensor } from './read-saved-model';
export { MAX_SAVED_MODEL_BYTES, readSavedModel } from './read-saved-model';
export { checkSavedModel } from './check-saved-model';
export type { ExampleSavedModelOptions } from './write-example-saved-model';
export { writeExampleSavedModel } from './write-example-saved-model';
export * from './tf-proto';
