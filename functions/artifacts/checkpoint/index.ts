/**
 * TensorFlow checkpoints (tensor bundles: `variables/variables.index` + `variables.data-*`):
 * read, verify and write them over byte buffers.
 */
export { CheckpointError } from './checkpoint-error';
export type { CheckpointEntry, CheckpointIndex } from './read-checkpoint-index';
export { readCheckpointIndex, shardFileName, shardPath } from './read-checkpoint-index';
export type { Problem, VerifyResult } from './verify-checkpoint';
export { checkCompleteness, verifyCheckpoint } from './verify-checkpoint';
export type { OpenShard } from './stream-verify';
export { verifyCheckpointStreaming } from './stream-verify';
export type { TensorValues } from './tensor-values';
export { elementCount, readTensorValues, tensorCrc } from './tensor-values';
export { decodeStringTensor, encodeStringTensor } from './string-tensor';
export type { TensorToWrite, WriteOptions, WrittenCheckpoint } from './write-checkpoint';
export { checkpointFiles, writeCheckpoint } from './write-checkpoint';
export { crc32c, maskCrc, unmaskCrc } from './crc32c';
export { dtypeName, dtypeNumber } from './dtypes';
export type { LoadedCheckpoint } from './checkpoint-files';
export {
  checkCheckpointFiles,
  hasCheckpoint,
  INDEX_PATH,
  loadCheckpoint,
  verifyCheckpointFiles,
} from './checkpoint-files';
