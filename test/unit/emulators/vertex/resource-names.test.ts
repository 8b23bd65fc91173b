import {
  endpointPath,
  modelPath,
  parseEndpointName,
  parseLocation,
  parseModelName,
} from '../../../../emulators/vertex/resource-names';

describe('resource names', () => {
  it('parses locations, models with @version/@alias, and endpoints', () => {
    expect(parseLocation('projects/p-1/locations/us-central1', 'parent')).toEqual({
      project: 'p-1',
      location: 'us-central1',
    });
    expect(parseModelName('projects/p/locations/l/models/123@2', 'name')).toEqual({
      project: 'p',
      location: 'l',
      modelId: '123',
      version: '2',
    });
    expect(parseModelName('projects/p/locations/l/models/123@candidate', 'name').version).toBe('candidate');
    const model = parseModelName('projects/p/locations/l/models/abc', 'name');
    expect(model.version).toBeUndefined();
    expect(modelPath(model)).toBe('projects/p/locations/l/models/abc');
    expect(endpointPath(parseEndpointName('projects/p/locations/l/endpoints/9', 'endpoint'))).toBe(
      'projects/p/locations/l/endpoints/9',
    );
  });

  it.each([
    ['empty', ''],
    ['missing', undefined],
    ['wrong type', 42],
    ['wrong collection', 'projects/p/locations/l/endpoints/1'],
    ['trailing slash', 'projects/p/locations/l/models/1/'],
    ['two @', 'projects/p/locations/l/models/1@2@3'],
    ['empty version', 'projects/p/locations/l/models/1@'],
    ['path traversal', 'projects/../locations/l/models/1'],
    ['extra segment', 'projects/p/locations/l/models/1/versions/2'],
  ])('refuses a malformed model name (%s), naming the field and the expected form', (_name, value) => {
    expect(() => parseModelName(value, 'deployed_model.model')).toThrow(
      /Field: deployed_model\.model; .*expected projects\/\{project\}\/locations\/\{location\}\/models\/\{model\}/,
    );
  });

  it('refuses malformed locations and endpoints', () => {
    expect(() => parseLocation('projects/p', 'parent')).toThrow(/Field: parent/);
    expect(() => parseEndpointName('projects/p/locations/l/endpoints/', 'endpoint')).toThrow(/Field: endpoint/);
    expect(() => parseEndpointName('x'.repeat(10_000), 'endpoint')).toThrow(/is not a valid resource name/);
  });
});
