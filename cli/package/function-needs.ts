import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Vertex AI v1 services, by the wiring export that uses each one's client. */
const VERTEX_SERVICE_OF: Record<string, string> = {
  registry: 'google.cloud.aiplatform.v1.ModelService',
  endpoints: 'google.cloud.aiplatform.v1.EndpointService',
  predictor: 'google.cloud.aiplatform.v1.PredictionService',
};

/** What one function's bundle must carry beyond its own code. */
export interface FunctionNeeds {
  entryPoint: string;
  /** Source of the entry point, relative to the repository, e.g. `functions/entry/on-artifact.ts`. */
  source: string;
  /** Wiring exports it uses (`registry`, `publisher`...). */
  wiring: string[];
  /** Fully qualified Vertex services whose protos the bundle keeps; none → no Vertex client. */
  vertexServices: string[];
  /** Firebase Admin SDK (Firebase ML, signed URLs, Remote Config). */
  firebase: boolean;
  /** Google's TFLite runtime (wasm files shipped beside the bundle). */
  tfliteWasm: boolean;
}

/** `onArtifact` → `on-artifact`: the entry file's name. */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Names imported from `./wiring` by a TypeScript source (type-only imports excluded). */
export function wiringImports(source: string): string[] {
  const names: string[] = [];
  for (const match of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'\.\/wiring'/g)) {
    for (const part of match[1].split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)[0];
      if (name && !part.trim().startsWith('type ')) names.push(name);
    }
  }
  return names;
}

/**
 * Reads what an entry point takes from `functions/entry/wiring.ts` (and from the shared
 * `stage-handler.ts` when it uses it) so its bundle keeps only the Vertex services, Firebase and
 * TFLite pieces it can reach. Read from the source rather than listed by hand so a new use in an
 * entry point cannot be forgotten here.
 */
export function functionNeeds(root: string, entryPoint: string): FunctionNeeds {
  const source = `functions/entry/${kebabCase(entryPoint)}.ts`;
  let text: string;
  try {
    text = readFileSync(join(root, source), 'utf8');
  } catch {
    throw new Error(`${source}: no source for entry point ${entryPoint} (expected the kebab-case file of its name)`);
  }
  if (!text.includes(`'${entryPoint}'`))
    throw new Error(`${source}: does not register '${entryPoint}' with the Functions Framework`);
  const wiring = new Set(wiringImports(text));
  if (/from '\.\/stage-handler'/.test(text))
    for (const name of wiringImports(readFileSync(join(root, 'functions/entry/stage-handler.ts'), 'utf8')))
      wiring.add(name);
  const names = [...wiring].sort();
  return {
    entryPoint,
    source,
    wiring: names,
    vertexServices: names
      .filter((n) => n in VERTEX_SERVICE_OF)
      .map((n) => VERTEX_SERVICE_OF[n])
      .sort(),
    firebase: wiring.has('mobileChannels') || wiring.has('remoteConfigTemplates'),
    tfliteWasm: wiring.has('tfliteRunner'),
  };
}
