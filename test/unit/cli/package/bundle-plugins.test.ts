import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { leaveOut, prunedVertexProtos, tfliteWasmBesideBundle } from '../../../../cli/package/bundle-plugins';
import { useTempDir } from '../../../helpers/temp-dir';

const dir = useTempDir();

async function bundle(entry: string, plugins: Parameters<typeof build>[0]['plugins']): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
    plugins,
  });
  return result.outputFiles[0].text;
}

function tfliteWasmSource(body: string): string {
  const file = join(dir(), 'functions', 'runtime', 'tflite', 'tflite-wasm.ts');
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, body);
  return file;
}

describe('tfliteWasmBesideBundle', () => {
  it('points the package lookup at the copy beside the bundle', async () => {
    const file = tfliteWasmSource(
      "export const dir = require('node:path').dirname(require.resolve('@tensorflow/tfjs-tflite/package.json'));\n",
    );
    const text = await bundle(file, [tfliteWasmBesideBundle()]);
    expect(text).not.toContain("require.resolve('@tensorflow/tfjs-tflite/package.json')");
    expect(text).toMatch(/join\(__dirname, "tfjs-tflite", "package\.json"\)/);
  });

  it.each([
    ['the call is gone', 'export const dir = "x";\n'],
    [
      'the call appears twice',
      "require.resolve('@tensorflow/tfjs-tflite/package.json'); require.resolve('@tensorflow/tfjs-tflite/package.json');\n",
    ],
  ])('fails the build when %s, naming the file', async (_name, body) => {
    const file = tfliteWasmSource(body);
    await expect(bundle(file, [tfliteWasmBesideBundle()])).rejects.toThrow(
      /tflite-wasm\.ts: expected exactly one require\.resolve/,
    );
  });
});

describe('leaveOut', () => {
  it('replaces the package with a module that throws, naming the function and what to do', async () => {
    const entry = join(dir(), 'entry.ts');
    writeFileSync(entry, "export function late() { return require('firebase-admin/app'); }\n");
    const text = await bundle(entry, [leaveOut(/^firebase-admin(\/|$)/, 'onArtifact')]);
    expect(text).toContain('firebase-admin/app was left out of the onArtifact bundle');
    expect(text).toContain('re-run npm run package');
    expect(text).not.toContain('initializeApp');
  });
});

describe('prunedVertexProtos', () => {
  it('substitutes protos.json only for the aiplatform v1 clients', async () => {
    const fake = join(dir(), 'node_modules', 'other', 'protos');
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, 'protos.json'), '{"mine":true}');
    const entry = join(dir(), 'node_modules', 'other', 'index.js');
    writeFileSync(entry, "module.exports = require('./protos/protos.json');\n");
    let reported = false;
    const text = await bundle(entry, [prunedVertexProtos('/nonexistent.json', ['a.B'], () => (reported = true))]);
    expect(text).toContain('mine');
    expect(reported).toBe(false);
  });

  it('fails the build with the pruning error when a service is missing', async () => {
    const v1 = join(dir(), 'node_modules', '@google-cloud', 'aiplatform', 'build', 'src', 'v1');
    mkdirSync(v1, { recursive: true });
    writeFileSync(join(v1, 'client.js'), "module.exports = require('../../protos/protos.json');\n");
    const protos = join(dir(), 'protos.json');
    writeFileSync(protos, JSON.stringify({ nested: { a: { nested: { M: { fields: {} } } } } }));
    await expect(bundle(join(v1, 'client.js'), [prunedVertexProtos(protos, ['a.Missing'], () => {})])).rejects.toThrow(
      /a\.Missing is not a service/,
    );
  });
});
