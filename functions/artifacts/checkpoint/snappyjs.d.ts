/** Types for `snappyjs` (the package ships none). https://github.com/zhipeng-jia/snappyjs */
declare module 'snappyjs' {
  export function uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array;
  export function compress(uncompressed: Uint8Array): Uint8Array;
}
