#!/usr/bin/env node
// The `ferry` command: the TypeScript CLI run by Node with tsx's loader (`--import tsx`), so no
// build step is needed. Ctrl-C reaches the child directly (same process group); we only wait.
const { spawn } = require('node:child_process');
const { join } = require('node:path');

const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(__dirname, '..', 'cli', 'main.ts'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    cwd: process.cwd(),
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => undefined);
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
