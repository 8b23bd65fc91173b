/**
 * JSON Schema of `vertex-emulator.json` (see `persistence.ts`): enough to refuse a damaged or
 * foreign file with the path of the first bad field, before any of it is used.
 */
const str = { type: 'string' };
const time = { type: 'number', minimum: 0 };
const count = { type: 'integer', minimum: 0 };
const digits = { type: 'string', pattern: '^[0-9]{1,19}$' };
const strMap = { type: 'object', additionalProperties: { type: 'string' } };
const msg = { type: 'object' };
const status = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'integer' }, message: str },
};

const version = {
  type: 'object',
  required: [
    'versionId',
    'versionAliases',
    'displayName',
    'labels',
    'createTime',
    'updateTime',
    'deployedModels',
    'etag',
  ],
  properties: {
    versionId: str,
    versionAliases: { type: 'array', items: str },
    displayName: str,
    description: str,
    versionDescription: str,
    artifactUri: str,
    containerSpec: msg,
    labels: strMap,
    createTime: time,
    updateTime: time,
    deployedModels: {
      type: 'array',
      items: {
        type: 'object',
        required: ['endpoint', 'deployedModelId'],
        properties: { endpoint: str, deployedModelId: str },
      },
    },
    etag: str,
  },
};

const deployed = {
  type: 'object',
  required: ['id', 'model', 'modelVersionId', 'modelDisplayName', 'createTime'],
  properties: {
    id: str,
    model: str,
    modelVersionId: str,
    modelDisplayName: str,
    displayName: str,
    createTime: time,
    dedicatedResources: msg,
    automaticResources: msg,
  },
};

const endpoint = {
  type: 'object',
  required: ['name', 'displayName', 'labels', 'createTime', 'updateTime', 'etag', 'deployed', 'trafficSplit'],
  properties: {
    name: str,
    displayName: str,
    description: str,
    labels: strMap,
    createTime: time,
    updateTime: time,
    etag: str,
    deployed: { type: 'array', items: deployed },
    trafficSplit: { type: 'object', additionalProperties: { type: 'integer', minimum: 0, maximum: 100 } },
  },
};

const LRO_METHODS = [
  'UploadModel',
  'CopyModel',
  'DeleteModel',
  'DeleteModelVersion',
  'CreateEndpoint',
  'DeleteEndpoint',
  'DeployModel',
  'UndeployModel',
];

const operation = {
  type: 'object',
  required: ['name', 'startedAt', 'durationMs', 'done'],
  properties: {
    name: str,
    startedAt: time,
    durationMs: { type: 'number' },
    done: { type: 'boolean' },
    metadataType: str,
    metadata: msg,
    response: { type: 'object', required: ['type', 'value'], properties: { type: str, value: msg } },
    error: status,
    replay: {
      type: 'object',
      required: ['method', 'request', 'ids'],
      properties: { method: { enum: LRO_METHODS }, request: msg, ids: { type: 'array', items: digits } },
    },
  },
};

export const VERTEX_STATE_SCHEMA = {
  type: 'object',
  required: ['format', 'version', 'ids', 'counters', 'models', 'endpoints', 'operations'],
  properties: {
    format: { const: 'ferry-vertex-emulator' },
    version: { const: 1 },
    ids: { type: 'object', required: ['models', 'endpoints'], properties: { models: digits, endpoints: digits } },
    counters: {
      type: 'object',
      required: ['modelEtags', 'endpointEtags', 'operations'],
      properties: { modelEtags: count, endpointEtags: count, operations: { type: 'integer', minimum: 1 } },
    },
    models: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'createTime', 'nextVersion', 'versions'],
        properties: {
          name: str,
          createTime: time,
          nextVersion: { type: 'integer', minimum: 1 },
          versions: { type: 'array', items: version },
        },
      },
    },
    endpoints: { type: 'array', items: endpoint },
    operations: { type: 'array', items: operation },
  },
} as const;
