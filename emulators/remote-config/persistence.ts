import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { readStateFile, writeStateFile } from '../state-file';
import type { StoredVersion } from './template-history';

export const STATE_FILE = 'remote-config-emulator.json';

/** What `<dataDir>/remote-config-emulator.json` holds. */
export interface SavedRemoteConfigState {
  format: 'ferry-remote-config-emulator';
  version: 1;
  projectId: string;
  projectNumber: string;
  versions: StoredVersion[];
}

const SCHEMA = {
  type: 'object',
  required: ['format', 'version', 'projectId', 'projectNumber', 'versions'],
  properties: {
    format: { const: 'ferry-remote-config-emulator' },
    version: { const: 1 },
    projectId: { type: 'string' },
    projectNumber: { type: 'string', pattern: '^[0-9]+$' },
    versions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['content', 'version'],
        properties: {
          content: { type: 'object' },
          version: {
            type: 'object',
            required: ['versionNumber', 'updateTime', 'updateUser', 'updateOrigin', 'updateType'],
            properties: { versionNumber: { type: 'string', pattern: '^[1-9][0-9]*$' } },
          },
        },
      },
    },
  },
};

let validator: ValidateFunction<SavedRemoteConfigState> | undefined;

/** Writes the state (temp file + rename) after each publish. */
export function saveRemoteConfigState(
  dataDir: string,
  state: Omit<SavedRemoteConfigState, 'format' | 'version'>,
): void {
  writeStateFile(join(dataDir, STATE_FILE), { format: 'ferry-remote-config-emulator', version: 1, ...state });
}

/** Reads the saved state; undefined on a first start; a damaged or foreign file stops startup naming the file. */
export function loadRemoteConfigState(dataDir: string, projectId: string): SavedRemoteConfigState | undefined {
  const file = join(dataDir, STATE_FILE);
  validator ??= new Ajv({ strict: false }).compile<SavedRemoteConfigState>(SCHEMA);
  const state = readStateFile(file, validator, 'Remote Config emulator');
  if (!state) return undefined;
  if (state.projectId !== projectId)
    throw new Error(
      `${file}: holds project ${JSON.stringify(state.projectId)}, but this emulator serves ${projectId}; use one dataDir per project, or delete the file to start empty.`,
    );
  const numbers = state.versions.map((v) => Number(v.version.versionNumber));
  if (numbers.some((n, i) => i > 0 && n <= numbers[i - 1]))
    throw new Error(
      `${file}: versions are not in increasing order. Restore it from a backup, or delete it to start empty.`,
    );
  return state;
}
