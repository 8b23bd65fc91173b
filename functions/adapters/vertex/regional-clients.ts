import type { ClientOptions } from 'google-gax';

const LOCATION_OF = /^projects\/[^/]+\/locations\/([^/]+)(?:\/|$)/;

/**
 * The location a Vertex resource name (`projects/P/locations/L[/…]`: a parent, model, version,
 * endpoint or operation) is in; undefined for anything else, which then goes to the default
 * location's client and is refused there as the malformed name it is.
 */
export function locationOf(resourceName: string | undefined): string | undefined {
  return resourceName === undefined ? undefined : (LOCATION_OF.exec(resourceName)?.[1] ?? undefined);
}

/**
 * One service's clients, one per endpoint they talk to, each built on first use: a function that
 * touches one region builds one client, as before. Keyed by the endpoint rather than the location,
 * so with the emulator (every location at one address) all locations share one client.
 */
export class RegionalClients<C extends { close(): Promise<void> }> {
  private readonly clients = new Map<string, C>();

  constructor(
    private readonly create: (options: ClientOptions) => C,
    private readonly optionsFor: (location: string) => ClientOptions,
    private readonly defaultLocation: () => string,
  ) {}

  /** The client for `location` (the default location when none is given). */
  get(location: string = this.defaultLocation()): C {
    const options = this.optionsFor(location);
    const key = `${options.apiEndpoint ?? ''}:${options.port ?? ''}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.create(options);
      this.clients.set(key, client);
    }
    return client;
  }

  /** Closes every client built so far and forgets them. */
  async close(): Promise<void> {
    const open = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(open.map((client) => client.close()));
  }
}
