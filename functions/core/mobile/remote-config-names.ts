/**
 * Remote Config parameter keys: "Parameter keys must start with an underscore or English letter
 * character [A-Z, a-z] and can also include numbers", at most 256 characters
 * (https://firebase.google.com/docs/remote-config/parameters). Checked when a workflow loads, so a
 * key the service would refuse fails `ferry workflows check`, not a rollout halfway.
 */
export const REMOTE_CONFIG_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;

/** Why `key` is not a Remote Config parameter key, or undefined when it is one. */
export function parameterKeyProblem(key: string): string | undefined {
  if (REMOTE_CONFIG_KEY.test(key)) return undefined;
  return `${JSON.stringify(key.slice(0, 64))} is not a Remote Config parameter key: start with a letter or "_", then use letters, digits and "_" (at most 256)`;
}
