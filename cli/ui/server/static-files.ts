import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** cli/ui/public: the page and its scripts, shipped as they are (no build step). */
const PUBLIC_DIR = join(__dirname, '..', 'public');

/** uPlot's browser build, from the installed package. */
function uplotFile(name: string): string {
  return join(dirname(require.resolve('uplot')), name);
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/**
 * The files served by exact request path, plus any other `/<name>.js` or `/<name>.css` directly in
 * cli/ui/public whose name is plain lowercase letters, digits and dashes (the page's own modules):
 * no `.`, `/` or `%` can reach another folder.
 */
const FILES: Record<string, { path: () => string; type: string }> = {
  '/': { path: () => join(PUBLIC_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  '/app.js': { path: () => join(PUBLIC_DIR, 'app.js'), type: JS },
  '/style.css': { path: () => join(PUBLIC_DIR, 'style.css'), type: CSS },
  '/vendor/uplot.js': { path: () => uplotFile('uPlot.iife.min.js'), type: JS },
  '/vendor/uplot.css': { path: () => uplotFile('uPlot.min.css'), type: CSS },
};

/** The file for a request path, or undefined (404) for anything not listed or missing on disk. */
export async function staticFile(pathname: string): Promise<{ body: Buffer; type: string } | undefined> {
  const own = /^\/([a-z0-9-]+)\.(js|css)$/.exec(pathname);
  const file = Object.hasOwn(FILES, pathname)
    ? FILES[pathname]
    : own
      ? { path: () => join(PUBLIC_DIR, `${own[1]}.${own[2]}`), type: own[2] === 'js' ? JS : CSS }
      : undefined;
  if (!file) return undefined;
  try {
    return { body: await readFile(file.path()), type: file.type };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
