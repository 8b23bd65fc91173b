import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (`apt-get install -y chromium`; .ci/run installs it): playwright downloads no browser. */
export const CHROMIUM = process.env.FERRY_CHROMIUM ?? '/usr/bin/chromium';

/**
 * A headless chromium with nothing that calls home (the pages under test talk to 127.0.0.1 only).
 * Playwright gives each launch a fresh profile of its own in a temporary folder.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium), or name another in FERRY_CHROMIUM`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
