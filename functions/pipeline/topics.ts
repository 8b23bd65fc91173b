/**
 * Pub/Sub topics between the stages. Terraform creates the same names (terraform/pubsub.tf);
 * a test checks that the two agree.
 */
export const TOPICS = {
  savedModelReady: 'ferry.savedmodel.ready',
  tfliteReady: 'ferry.tflite.ready',
  modelRegistered: 'ferry.model.registered',
  operationPending: 'ferry.operation.pending',
  modelDeployed: 'ferry.model.deployed',
  runEvents: 'ferry.run.events',
  deadLetter: 'ferry.dead-letter',
  /** Ticks of the reconciler (Cloud Scheduler publishes one every 10 minutes). */
  reconcile: 'ferry.reconcile',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];
