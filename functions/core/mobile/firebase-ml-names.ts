import { versionAlias } from '../run/run-id';

/**
 * Names and tags Firebase ML accepts. Checked before anything is published, so a workflow or a
 * version the service would refuse fails `ferry workflows check` or the run's static checks, not
 * halfway through a release.
 *
 * - Display name: "up to 32 characters long and can consist only of ASCII Latin letters A-Z and
 *   a-z, underscores(_) and ASCII digits 0-9. It must start with a letter" (`Model.displayName`,
 *   https://firebase.google.com/docs/reference/firebaseml/rest/v1beta2/projects.models#Model).
 * - Tags: the REST reference gives no format. firebase-admin for Node (13.x) checks neither
 *   (`lib/machine-learning/machine-learning-api-client.js` `createModel` only requires a non-empty
 *   `displayName`; `updateModel` only a non-empty mask), so the rule is firebase-admin-python's
 *   `_TAG_PATTERN` (`firebase_admin/ml.py`: `^[A-Za-z0-9_-]{1,32}$`, checked by `_validate_tags`).
 *   Its `_DISPLAY_NAME_PATTERN` allows `-` and a leading digit, which the REST reference does not:
 *   the stricter reference wins for display names.
 */
export const FIREBASE_ML_DISPLAY_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
export const FIREBASE_ML_TAG = /^[A-Za-z0-9_-]{1,32}$/;

/** Why `name` is not a Firebase ML display name, or undefined when it is one. */
export function displayNameProblem(name: string): string | undefined {
  if (FIREBASE_ML_DISPLAY_NAME.test(name)) return undefined;
  return `${JSON.stringify(name.slice(0, 64))} is not a Firebase ML model name: use at most 32 ASCII letters, digits and "_", starting with a letter`;
}

/** Why `tag` is not a Firebase ML tag, or undefined when it is one. */
export function tagProblem(tag: string): string | undefined {
  if (FIREBASE_ML_TAG.test(tag)) return undefined;
  return `${JSON.stringify(tag.slice(0, 64))} is not a Firebase ML tag: use 1 to 32 ASCII letters, digits, "_" or "-"`;
}

/**
 * Why an artifact version cannot be released on Firebase ML, or undefined. The publishMobile stage
 * tags each release with `versionAlias(version)` (so `newerVersionTag` can keep the newest), and a
 * version too long for a tag would be refused by the service after validation.
 */
export function versionTagProblem(version: string): string | undefined {
  const tag = versionAlias(version);
  if (FIREBASE_ML_TAG.test(tag)) return undefined;
  return (
    `version "${version.slice(0, 64)}" gives the Firebase ML version tag "${tag.slice(0, 64)}", ` +
    `which is not a valid tag (1 to 32 ASCII letters, digits, "_" or "-"); name the version folder with at most 31 characters`
  );
}

/**
 * The Firebase ML model a staged rollout publishes a candidate under, so the model every app
 * downloads today stays untouched until the rollout reaches 100 %: `<modelName>_v<version>`.
 */
export function candidateModelName(modelName: string, version: string): string {
  return `${modelName}_v${version}`;
}

/** Why the candidate's model name would be refused (too long, a character Firebase ML refuses), or undefined. */
export function candidateModelNameProblem(modelName: string, version: string): string | undefined {
  const name = candidateModelName(modelName, version);
  if (FIREBASE_ML_DISPLAY_NAME.test(name)) return undefined;
  return (
    `a staged rollout publishes version "${version.slice(0, 64)}" as the Firebase ML model "${name.slice(0, 64)}", ` +
    `which is not a Firebase ML model name (at most 32 ASCII letters, digits and "_"); ` +
    `shorten mobile.modelName (at most ${Math.max(0, 30 - version.length)} characters for this version) or the version folder name`
  );
}

/**
 * Why Firebase ML could not carry this version of a workflow's model (its version tag, or with a
 * staged rollout the candidate's own model name), or undefined. onArtifact refuses such a version
 * before anything runs; publishMobile checks again for runs started before the check existed.
 */
export function releaseNameProblem(
  mobile: { modelName: string; channels: { firebaseMl: boolean }; rollout?: object },
  version: string,
): string | undefined {
  if (!mobile.channels.firebaseMl) return undefined;
  return (
    versionTagProblem(version) ?? (mobile.rollout ? candidateModelNameProblem(mobile.modelName, version) : undefined)
  );
}
