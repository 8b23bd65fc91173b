import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo, type DemoResult } from '../../cli/demo/run-demo';
import { captureIo } from '../helpers/capture-io';
import { demoOutcomeTests } from './demo-outcomes';

/** The demo's scenarios on the local stack, through the official clients, checked from the outside. */
describe('the local demo', () => {
  let result: DemoResult;
  const io = captureIo();

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');
    result = await runDemo(io, { deployDurationMs: 30 * 60_000, timeScale: 0.0005 });
  }, 120_000);
  afterAll(() => result?.stack.stop());

  demoOutcomeTests(() => ({ result, stdout: io.stdout }));
});
