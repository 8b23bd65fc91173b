import { deleteApp, type App } from 'firebase-admin/app';
import { startFirebaseMlEmulator, type FirebaseMlEmulator } from '../../emulators/firebase-ml/firebase-ml-emulator';
import { firebaseMlEmulatorApp } from '../../emulators/firebase-ml/sdk-app';
import {
  createRemoteConfigApi,
  type RemoteConfigApi,
  type RemoteConfigApiOptions,
} from '../../emulators/remote-config/remote-config-api';

export interface RemoteConfigFixture {
  emulator: FirebaseMlEmulator;
  remoteConfig: RemoteConfigApi;
  /** A firebase-admin app whose requests reach the emulator over TLS (its own name per fixture). */
  app: App;
  stop(): Promise<void>;
}

let fixtures = 0;

/** The Remote Config API on a Firebase ML emulator's listener, as the local cloud runs it, and an SDK app for it. */
export async function startRemoteConfig(
  options: Partial<RemoteConfigApiOptions> & { mlDataDir?: string } = {},
): Promise<RemoteConfigFixture> {
  const projectId = options.projectId ?? 'ferry-rc';
  const remoteConfig = createRemoteConfigApi({ ...options, projectId });
  const emulator = await startFirebaseMlEmulator({
    projectId,
    readObject: async () => new Uint8Array(0),
    apis: [remoteConfig],
    dataDir: options.mlDataDir,
  });
  fixtures += 1;
  const app = firebaseMlEmulatorApp({ ...emulator.env }, `ferry-rc-test-${fixtures}`);
  return {
    emulator,
    remoteConfig,
    app,
    stop: async () => {
      await deleteApp(app);
      await emulator.stop();
    },
  };
}
