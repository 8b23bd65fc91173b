/**
 * Runs SavedModel signatures locally with TensorFlow.js (frozen from saved_model.pb + checkpoint),
 * or through TF Serving's REST API when `FERRY_TF_SERVING_URL` is set.
 */
export {
  loadSavedModel,
  MAX_BATCH,
  type LoadSavedModelOptions,
  type SavedModelRunner,
  type TensorSpec,
} from './load-saved-model';
export { modelNameFromLocation, tfServingPredict, type TfServingTarget } from './tf-serving-predict';
