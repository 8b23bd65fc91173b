import { detectFile, detectFolder } from '../../../../functions/artifacts/detect-format';

const bytes = (...values: number[]) => Uint8Array.from(values);
const tfl3 = Uint8Array.from([0x1c, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33]);

describe('detectFile', () => {
  it.each([
    ['model.tflite', new Uint8Array(), 'tflite'],
    ['renamed.bin', tfl3, 'tflite'],
  ])('%s is a TFLite model', (name, head, kind) => {
    expect(detectFile(name, head).kind).toBe(kind);
  });

  it.each([
    ['model.keras', bytes(0x50, 0x4b, 3, 4), /Keras v3.*model\.export/],
    ['weights.h5', new Uint8Array(), /HDF5.*model\.export/],
    ['noext', bytes(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a), /HDF5/],
    ['model.onnx', new Uint8Array(), /ONNX/],
    ['model.pt', new Uint8Array(), /PyTorch/],
    ['model.json', new Uint8Array(), /TensorFlow\.js.*tensorflowjs_converter/],
    ['frozen.pb', new Uint8Array(), /frozen GraphDef.*saved_model\.pb/],
    ['bundle.zip', bytes(0x50, 0x4b, 3, 4), /zip archive/],
    ['notes.txt', bytes(0x68, 0x69), /unrecognised file \(notes\.txt\)/],
  ])('%s is refused with advice', (name, head, advice) => {
    const detected = detectFile(name, head);
    expect(detected.kind).toBe('unsupported');
    if (detected.kind === 'unsupported') expect(`${detected.format}: ${detected.advice}`).toMatch(advice);
  });
});

describe('detectFolder', () => {
  it('finds a SavedModel in binary or text format', () => {
    expect(detectFolder(['saved_model.pb', 'variables/variables.index'])).toEqual({
      kind: 'savedmodel',
      textFormat: false,
    });
    expect(detectFolder(['saved_model.pbtxt'])).toEqual({ kind: 'savedmodel', textFormat: true });
  });

  it.each([
    [
      ['variables/variables.index', 'variables/variables.data-00000-of-00001'],
      /checkpoint without saved_model\.pb.*tf\.saved_model\.save/,
    ],
    [['keras_metadata.pb', 'fingerprint.pb'], /Keras model folder/],
    [['model.json', 'group1-shard1of1.bin'], /TensorFlow\.js/],
    [[], /empty folder/],
    [['README.md'], /folder without saved_model\.pb/],
  ])('%j is refused with advice', (paths, advice) => {
    const detected = detectFolder(paths);
    expect(detected.kind).toBe('unsupported');
    if (detected.kind === 'unsupported') expect(`${detected.format}: ${detected.advice}`).toMatch(advice);
  });
});
