export { startPubSubEmulator } from './emulator';
export type { PubSubEmulator, PubSubEmulatorOptions, DeadLetteredMessage, SubscriptionInfo } from './emulator';
export type { Counters } from './broker';
export type { MessagePublishedData } from './cloud-event';
