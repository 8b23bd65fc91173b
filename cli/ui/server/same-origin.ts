/**
 * The names the server answers to: it listens on 127.0.0.1 only, and a browser may call it
 * `127.0.0.1` or `localhost`. Anything else in Host means a page on another site resolved its own
 * name to this machine (DNS rebinding); anything else in Origin means a page elsewhere is posting.
 */
function ownHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function isOwnHost(host: string | undefined, port: number): boolean {
  return host !== undefined && ownHosts(port).includes(host.toLowerCase());
}

/** Actions need an Origin, and it must be this server's: a form or fetch from elsewhere is refused. */
export function isOwnOrigin(origin: string | undefined, port: number): boolean {
  return origin !== undefined && ownHosts(port).some((host) => origin.toLowerCase() === `http://${host}`);
}
