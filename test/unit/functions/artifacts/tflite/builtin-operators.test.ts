import {
  builtinOperatorName,
  CUSTOM_CODE,
  KNOWN_BUILTIN_COUNT,
} from '../../../../../functions/artifacts/tflite/builtin-operators';

describe('builtinOperatorName', () => {
  // Spot values across the enum from schema.fbs; an off-by-one anywhere before them shows up here.
  it.each([
    [0, 'ADD'],
    [3, 'CONV_2D'],
    [18, 'MUL'],
    [32, 'CUSTOM'],
    [67, 'TRANSPOSE_CONV'],
    [117, 'HARD_SWISH'],
    [127, 'PLACEHOLDER_FOR_GREATER_OP_CODES'],
    [128, 'CUMSUM'],
    [150, 'GELU'],
    [161, 'RIGHT_SHIFT'],
    [162, 'STABLEHLO_LOGISTIC'],
    [203, 'DILATE'],
    [207, 'COMPLEX'],
    [208, 'BUILTIN_208'],
    [-1, 'BUILTIN_-1'],
  ])('%p is %s', (code, name) => {
    expect(builtinOperatorName(code)).toBe(name);
  });

  it('knows every value up to COMPLEX = 207 and CUSTOM = 32', () => {
    expect(KNOWN_BUILTIN_COUNT).toBe(208);
    expect(builtinOperatorName(CUSTOM_CODE)).toBe('CUSTOM');
  });
});
