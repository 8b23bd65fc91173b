import { status } from '@grpc/grpc-js';
import { messageFromJson, messageToJson } from '../../../../emulators/rest/proto-json';
import { loadVertexProtos } from '../../../../emulators/vertex/protos';

/** The well-known types Vertex's REST surface needs, on the aiplatform protos (loaded without keepCase). */
const type = (name: string) => loadVertexProtos().root.lookupType(name);
const V1 = 'google.cloud.aiplatform.v1';

describe('proto3 JSON of the well-known types', () => {
  it('reads google.protobuf.Value as plain JSON, null included, and writes it back', () => {
    const json = { endpoint: 'e', instances: [1.5, 'a', true, null, [1, [2]], { x: { y: [] } }] };
    const read = messageFromJson(type(`${V1}.PredictRequest`), json);
    expect(read.instances).toEqual([
      { numberValue: 1.5 },
      { stringValue: 'a' },
      { boolValue: true },
      { nullValue: 'NULL_VALUE' },
      { listValue: { values: [{ numberValue: 1 }, { listValue: { values: [{ numberValue: 2 }] } }] } },
      { structValue: { fields: { x: { structValue: { fields: { y: { listValue: { values: [] } } } } } } } },
    ]);
    expect(messageToJson(type(`${V1}.PredictRequest`), read)).toEqual(json);
  });

  it('writes a Value with protobufjs `kind` and non-finite numbers as proto3 JSON does', () => {
    expect(
      messageToJson(type(`${V1}.PredictResponse`), {
        predictions: [
          { kind: 'numberValue', numberValue: NaN },
          { kind: 'nullValue', nullValue: 'NULL_VALUE' },
        ],
      }),
    ).toEqual({ predictions: ['NaN', null] });
  });

  it('writes an Any as {"@type", fields} decoded by its type URL; a well-known one as {"@type", value}', () => {
    const protos = loadVertexProtos();
    const op = {
      name: 'o',
      done: true,
      metadata: protos.packAny(`${V1}.DeployModelOperationMetadata`, { deploymentStage: 'STARTING_MODEL_SERVER' }),
      response: protos.packAny('google.protobuf.Empty', {}),
    };
    expect(messageToJson(type('google.longrunning.Operation'), op)).toEqual({
      name: 'o',
      done: true,
      metadata: {
        '@type': `type.googleapis.com/${V1}.DeployModelOperationMetadata`,
        deploymentStage: 'STARTING_MODEL_SERVER',
      },
      response: { '@type': 'type.googleapis.com/google.protobuf.Empty' },
    });
  });

  it('reads an Any by its "@type" and refuses one without', () => {
    const read = messageFromJson(type('google.longrunning.Operation'), {
      metadata: {
        '@type': `type.googleapis.com/${V1}.DeployModelOperationMetadata`,
        deploymentStage: 'STARTING_MODEL_SERVER',
      },
    });
    const metadata = read.metadata as { type_url: string; value: Uint8Array };
    const decoded = type(`${V1}.DeployModelOperationMetadata`).decode(metadata.value);
    expect(type(`${V1}.DeployModelOperationMetadata`).toObject(decoded, { enums: String })).toEqual({
      deploymentStage: 'STARTING_MODEL_SERVER',
    });
    expect(() => messageFromJson(type('google.longrunning.Operation'), { metadata: { x: 1 } })).toThrow(
      expect.objectContaining({
        code: status.INVALID_ARGUMENT,
        message: expect.stringContaining('"@type" is required'),
      }),
    );
  });

  it('names fields by their proto names in errors, whichever casing the protos were loaded with', () => {
    expect(() => messageFromJson(type(`${V1}.DeployModelRequest`), { traffic_split: { '0': 1.5 } })).toThrow(
      "Invalid value at 'traffic_split[0]' (TYPE_INT32), 1.5",
    );
    expect(() =>
      messageFromJson(type(`${V1}.DeployModelRequest`), {
        deployedModel: { dedicatedResources: { minReplicaCount: 'one' } },
      }),
    ).toThrow(`Invalid value at 'deployed_model.dedicated_resources.min_replica_count' (TYPE_INT32), "one"`);
  });
});
