/** Where Cloud Storage for Firebase keeps a model version: `models/<name>/<version>/model.tflite`. */
export function versionObject(modelName: string, version: string): string {
  return `models/${modelName}/${version}/model.tflite`;
}
