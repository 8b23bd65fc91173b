#!/usr/bin/env node
// The `ferry` command: the TypeScript CLI run by Node with tsx's loader (`--import tsx`), so no
// build step is needed. tsx is named by its file URL: a bare `--import tsx` resolves from the
// working folder, and `ferry status` must work from any folder (FERRY_STACK_FILE, in the line
// `ferry up` prints).
const { spawn } = require('node:child_process');
const { constants } = require('node:os');
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

// A signal sent to this process (`kill <pid>`, npx passing one on) is passed to the child, or
// `ferry up` would keep serving with no parent. A Ctrl-C in a terminal reaches the child directly
// as well (same process group), so the child sees that SIGINT twice: `ferry up` treats a repeated
// stop signal as the same request (cli/stop-signal.ts); other commands die on the first.
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const forward = (signal) => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of FORWARDED) process.on(signal, forward);

// npx runs us under `sh -c`, which dies of a SIGTERM without passing it on: once our parent is
// gone (we were re-parented), stop the child as if we had been sent SIGTERM ourselves.
const PARENT_CHECK_MS = 500;
const parent = process.ppid;
const watchdog = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(watchdog);
  forward('SIGTERM');
}, PARENT_CHECK_MS);
watchdog.unref();

// Exit as the child did: its code, or the same signal (so a shell or npx sees "killed by SIGKILL").
child.on('exit', (code, signal) => {
  if (!signal) {
    process.exitCode = code ?? 1;
    return;
  }
  process.exitCode = 128 + (constants.signals[signal] ?? 0); // if the signal is ignored here (nohup)
  for (const name of FORWARDED) process.off(name, forward);
  process.kill(process.pid, signal);
});
