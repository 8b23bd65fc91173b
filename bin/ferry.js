#!/usr/bin/env node
// The `ferry` command: the TypeScript CLI run by Node with tsx's loader (`--import tsx`), so no
// build step is needed. Ctrl-C reaches the child directly (same process group); we only wait.
// tsx is named by its file URL: a bare `--import tsx` resolves from the working folder, and
// `ferry status` must work from any folder (FERRY_STACK_FILE, in the line `ferry up` prints).
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const child = spawn(
  process.execPath,
  [
    '--import',
    pathToFileURL(require.resolve('tsx')).href,
    join(__dirname, '..', 'cli', 'main.ts'),
    ...process.argv.slice(2),
  ],
  {
    stdio: 'inherit',
    cwd: process.cwd(),
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => undefined);
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
