import { readFileSync } from 'node:fs';
import type { Plugin } from 'esbuild';
import { pruneProtos, type ProtoJson } from './prune-protos';

/** Where the bundle looks for the TFLite wasm files, relative to the bundle's own folder. */
export const TFLITE_DIR = 'tfjs-tflite';

/**
 * Every `@google-cloud/aiplatform` v1 client requires `../../protos/protos.json` (4 MB, ~100
 * services) and hands it to proto-loader when constructed. The bundle gets a copy that keeps
 * only the services this function calls, so constructing its clients is cheap.
 */
export function prunedVertexProtos(
  protosPath: string,
  services: string[],
  report: (types: number, bytes: number) => void,
): Plugin {
  return {
    name: 'ferry-pruned-vertex-protos',
    setup(build) {
      build.onResolve({ filter: /protos\/protos\.json$/ }, (args) =>
        /@google-cloud[\\/]aiplatform[\\/]build[\\/]src[\\/]v1/.test(args.resolveDir)
          ? { path: 'aiplatform-protos.json', namespace: 'ferry-pruned' }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'ferry-pruned' }, () => {
        const pruned = pruneProtos(JSON.parse(readFileSync(protosPath, 'utf8')) as ProtoJson, services);
        const contents = JSON.stringify(pruned.json);
        report(pruned.types, contents.length);
        return { contents, loader: 'json' };
      });
    },
  };
}

/**
 * Leaves a package out of a function that never calls it (it is only required lazily, inside
 * adapters the function does not use). If that reading is ever wrong, the function fails at the
 * call with this message instead of silently carrying the weight.
 */
export function leaveOut(packagePattern: RegExp, entryPoint: string): Plugin {
  return {
    name: `ferry-leave-out-${packagePattern.source}`,
    setup(build) {
      build.onResolve({ filter: packagePattern }, (args) => ({ path: args.path, namespace: 'ferry-left-out' }));
      build.onLoad({ filter: /.*/, namespace: 'ferry-left-out' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} was left out of the ${entryPoint} bundle (cli/package/function-needs.ts decides from the entry point's wiring imports); re-run npm run package after changing what ${entryPoint} uses`)});`,
        loader: 'js',
      }));
    },
  };
}

/**
 * `functions/runtime/tflite/tflite-wasm.ts` finds the wasm files with
 * `require.resolve('@tensorflow/tfjs-tflite/package.json')`; a bundle has no node_modules, so
 * that call is pointed at the copy shipped beside the bundle. The build fails if the call is gone.
 */
export function tfliteWasmBesideBundle(): Plugin {
  const call = "require.resolve('@tensorflow/tfjs-tflite/package.json')";
  return {
    name: 'ferry-tflite-wasm-beside-bundle',
    setup(build) {
      build.onLoad({ filter: /functions[\\/]runtime[\\/]tflite[\\/]tflite-wasm\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (text.split(call).length !== 2)
          throw new Error(
            `${args.path}: expected exactly one ${call} to point at the bundled wasm; update cli/package/bundle-plugins.ts`,
          );
        return {
          contents: text.replace(call, `require('node:path').join(__dirname, '${TFLITE_DIR}', 'package.json')`),
          loader: 'ts',
        };
      });
    },
  };
}
