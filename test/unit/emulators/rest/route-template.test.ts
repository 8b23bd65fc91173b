import { compileTemplate, matchRoute, routesFromService } from '../../../../emulators/rest/route-template';
import { loadVertexProtos, SERVICES } from '../../../../emulators/vertex/protos';

describe('google.api.http path templates', () => {
  it.each([
    [
      '/v1/{name=projects/*/locations/*/models/*}',
      '/v1/projects/p/locations/l/models/m',
      ['name'],
      ['projects/p/locations/l/models/m'],
    ],
    [
      '/v1/{parent=projects/*/locations/*}/models:upload',
      '/v1/projects/p/locations/l/models:upload',
      ['parent'],
      ['projects/p/locations/l'],
    ],
    [
      '/v1/{endpoint.name=projects/*/locations/*/endpoints/*}',
      '/v1/projects/p/locations/l/endpoints/e',
      ['endpoint.name'],
      ['projects/p/locations/l/endpoints/e'],
    ],
    ['/v1/{name=operations/**}', '/v1/operations/a/b/c', ['name'], ['operations/a/b/c']],
    ['/v1/{a}/x/{b=y/*}', '/v1/1/x/y/2', ['a', 'b'], ['1', 'y/2']],
  ])('%s matches %s', (template, path, fields, values) => {
    const { fields: f, pattern } = compileTemplate(template);
    expect(f).toEqual(fields);
    expect(pattern.exec(path)?.slice(1)).toEqual(values);
  });

  it.each([
    ['/v1/{name=projects/*/locations/*/models/*}', '/v1/projects/p/locations/l/models/m/extra'],
    ['/v1/{parent=projects/*/locations/*}/models:upload', '/v1/projects/p/locations/l/models:uploadX'],
    ['/v1/{name=projects/*}', '/v2/projects/p'],
  ])('%s does not match %s', (template, path) => {
    expect(compileTemplate(template).pattern.test(path)).toBe(false);
  });

  it('refuses a template that is not a path', () => {
    expect(() => compileTemplate('v1/{name=*}')).toThrow('bad REST template v1/{name=*}');
  });
});

describe('routes read from the protos', () => {
  const routes = routesFromService(loadVertexProtos().root.lookupService(SERVICES.prediction), 'prediction');

  it('lists every unary binding, additional bindings included, and no streaming method', () => {
    const predict = routes.filter((r) => r.rpc === 'Predict').map((r) => r.template);
    expect(predict).toEqual([
      '/v1/{endpoint=projects/*/locations/*/endpoints/*}:predict',
      '/v1/{endpoint=projects/*/locations/*/publishers/*/models/*}:predict',
    ]);
    expect(routes.find((r) => r.rpc === 'Predict')).toMatchObject({
      verb: 'POST',
      body: '*',
      request: 'google.cloud.aiplatform.v1.PredictRequest',
      response: 'google.cloud.aiplatform.v1.PredictResponse',
    });
    expect(routes.some((r) => r.rpc === 'ServerStreamingPredict' || r.rpc === 'StreamRawPredict')).toBe(false);
  });

  it('takes a path that fits a custom method for that method only, and says which verbs it takes', () => {
    const all = [...routes, ...routesFromService(loadVertexProtos().root.lookupService(SERVICES.endpoint), 'endpoint')];
    expect(matchRoute(all, 'POST', '/v1/projects/p/locations/l/endpoints/1:predict')).toMatchObject({
      route: { rpc: 'Predict' },
      values: ['projects/p/locations/l/endpoints/1'],
    });
    expect(matchRoute(all, 'GET', '/v1/projects/p/locations/l/endpoints/1:predict')).toEqual({ verbs: ['POST'] });
    expect(matchRoute(all, 'GET', '/v1/projects/p/locations/l/endpoints/a%2Fb')).toMatchObject({
      route: { rpc: 'GetEndpoint' },
      values: ['projects/p/locations/l/endpoints/a/b'],
    });
    expect(matchRoute(all, 'GET', '/v1/projects/p/buckets')).toEqual({ verbs: [] });
  });
});
