/**
 * The gRPC status codes ferry reads or writes, by name. The numbers are fixed by the gRPC spec;
 * they are written here, not imported from `@grpc/grpc-js`, because requiring that package costs
 * about 100 ms at a cold start in functions that never open a gRPC channel (a unit test checks
 * they equal `@grpc/grpc-js`'s `status`). Core classifies errors by them; the Vertex adapters
 * translate them into port errors (adapters/vertex/port-errors.ts).
 * @see https://grpc.github.io/grpc/core/md_doc_statuscodes.html
 */
export const GRPC = {
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;
