import { execFileSync } from 'node:child_process';
import { exportLine, gcloudProperties, gcloudTargetFromEnv } from '../../../../cli/stack/gcloud-config';

const ENV = {
  FERRY_PROJECT: 'p-1',
  FERRY_LOCATION: 'europe-west4',
  STORAGE_EMULATOR_HOST: 'http://127.0.0.1:4001/',
  PUBSUB_EMULATOR_HOST: '127.0.0.1:4002',
  FERRY_VERTEX_EMULATOR: '127.0.0.1:4003',
};

/** The INI sections and keys as a map, parsed independently of how the text is laid out. */
function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';
  for (const line of text.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) out[(section = header[1])] = {};
    else if (line.includes('=')) {
      const [key, ...rest] = line.split('=');
      out[section][key.trim()] = rest.join('=').trim();
    }
  }
  return out;
}

describe('gcloudProperties', () => {
  it("points storage, pubsub and aiplatform at the stack's emulators, with credentials and network checks off", () => {
    expect(parseIni(gcloudProperties(gcloudTargetFromEnv(ENV)))).toEqual({
      core: { project: 'p-1', disable_usage_reporting: 'true', disable_prompts: 'true' },
      auth: { disable_credentials: 'true' },
      ai: { region: 'europe-west4' },
      component_manager: { disable_update_check: 'true' },
      api_endpoint_overrides: {
        storage: 'http://127.0.0.1:4001/storage/v1/',
        pubsub: 'http://127.0.0.1:4002/',
        aiplatform: 'http://127.0.0.1:4003/',
      },
    });
  });

  it.each(Object.keys(ENV))('names %s when the stack env lacks it', (name) => {
    expect(() => gcloudTargetFromEnv({ ...ENV, [name]: undefined })).toThrow(
      new RegExp(`the stack's environment has no ${name}`),
    );
  });
});

describe('exportLine', () => {
  it('is one line that a shell turns back into exactly these variables', () => {
    const vars = { CLOUDSDK_CONFIG: "/tmp/a b/it's/.ferry/gcloud", BUCKET: 'ferry-artifacts', X: '$HOME;`id`' };
    const line = exportLine(vars);
    expect(line.split('\n')).toHaveLength(1);
    const printed = execFileSync('sh', ['-c', `${line}; printf '%s\\n' "$CLOUDSDK_CONFIG" "$BUCKET" "$X"`], {
      encoding: 'utf8',
    });
    expect(printed.split('\n').slice(0, 3)).toEqual(Object.values(vars));
  });

  it('refuses a name a shell cannot export', () => {
    expect(() => exportLine({ 'NOT-A-NAME': 'x' })).toThrow(/"NOT-A-NAME" is not a shell variable name/);
  });
});
