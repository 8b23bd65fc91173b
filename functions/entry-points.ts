/**
 * The entry-point names Terraform deploys (`--target=onArtifact` etc.), one per module in
 * `functions/entry/`. A module of its own with no imports, so that whatever needs only the names
 * (the local stack's process mode, packaging) loads none of the functions to get them.
 */
export const ENTRY_POINTS = [
  'onArtifact',
  'registerModel',
  'deployModel',
  'awaitOperation',
  'validatePredictions',
  'publishMobile',
  'onDeadLetter',
  'reconcile',
  'notifyRunEvent',
] as const;
