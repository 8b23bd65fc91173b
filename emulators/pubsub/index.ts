export { startPubSubEmulator } from './emulator';
export type { PubSubEmulator, PubSubEmulatorOptions, DeadLetteredMessage, SubscriptionInfo } from './emulator';
export type { Counters } from './broker';
export type { PushEnvelope } from './push-envelope';
export type { PushTokenClaims } from './oidc-token';
