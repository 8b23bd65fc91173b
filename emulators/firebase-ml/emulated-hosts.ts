/**
 * Host names the emulator's certificate is valid for: the ML API, the OAuth token endpoint and
 * the Remote Config API its listener also serves (emulators/remote-config/).
 */
export const EMULATED_HOSTS = [
  'firebaseml.googleapis.com',
  'oauth2.googleapis.com',
  'firebaseremoteconfig.googleapis.com',
] as const;
