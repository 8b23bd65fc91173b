import type { ClientOptions } from 'google-gax';
import { locationOf, RegionalClients } from '../../../../../functions/adapters/vertex/regional-clients';
import { vertexConfig } from '../../../../../functions/adapters/vertex/vertex-config';

/** A stand-in for one of OUR clients' shape (options in, close out), not for a Google client. */
class Recorded {
  closed = false;
  constructor(readonly options: ClientOptions) {}
  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('locationOf', () => {
  it.each([
    ['projects/p/locations/europe-west4', 'europe-west4'],
    ['projects/p/locations/europe-west4/models/12@3', 'europe-west4'],
    ['projects/p/locations/asia-east1/endpoints/ferry-flowers', 'asia-east1'],
    ['projects/p/locations/us-east1/models/12/operations/99', 'us-east1'],
    ['projects/p/locations/us-east1/operations/99', 'us-east1'],
    ['models/12', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s → %s', (name, location) => {
    expect(locationOf(name)).toBe(location);
  });
});

describe('RegionalClients', () => {
  it('builds one client per regional endpoint on first use, the default location when none is named, and closes them all', async () => {
    const { optionsFor } = vertexConfig({ FERRY_PROJECT: 'p', FERRY_LOCATION: 'us-central1' });
    const clients = new RegionalClients(
      (o) => new Recorded(o),
      optionsFor,
      () => 'us-central1',
    );
    const home = clients.get();
    expect(home.options).toEqual({ apiEndpoint: 'us-central1-aiplatform.googleapis.com' });
    expect(clients.get('us-central1')).toBe(home);
    const europe = clients.get('europe-west4');
    expect(europe.options).toEqual({ apiEndpoint: 'europe-west4-aiplatform.googleapis.com' });
    expect(clients.get('europe-west4')).toBe(europe);
    await clients.close();
    expect([home.closed, europe.closed]).toEqual([true, true]);
    const again = clients.get();
    expect(again).not.toBe(home);
    expect(again.closed).toBe(false);
  });

  it('shares one client across locations when every location is the emulator', async () => {
    const { optionsFor } = vertexConfig({ FERRY_PROJECT: 'p', FERRY_VERTEX_EMULATOR: '127.0.0.1:8123' });
    const built: Recorded[] = [];
    const clients = new RegionalClients(
      (o) => {
        const client = new Recorded(o);
        built.push(client);
        return client;
      },
      optionsFor,
      () => 'us-central1',
    );
    expect(clients.get('europe-west4')).toBe(clients.get('us-central1'));
    expect(built).toHaveLength(1);
    expect(built[0].options).toMatchObject({ apiEndpoint: '127.0.0.1', port: 8123 });
    await clients.close();
    expect(built[0].closed).toBe(true);
  });
});
