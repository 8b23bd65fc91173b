import { consoleLinks } from '../../../../cli/ui/server/console-links';
import { sampleRun } from '../../../helpers/sample-run';

describe('consoleLinks', () => {
  it("links the run's model version and endpoint in the project's console", () => {
    const run = sampleRun({
      model: {
        name: 'projects/p/locations/europe-west4/models/42',
        versionId: '3',
        versionName: 'projects/p/locations/europe-west4/models/42@3',
        servingImage: 'img',
      },
      endpoint: { name: 'projects/p/locations/europe-west4/endpoints/ferry-flowers' },
    });
    expect(consoleLinks(run, 'my-proj')).toEqual({
      model:
        'https://console.cloud.google.com/vertex-ai/models/locations/europe-west4/models/42/versions/3?project=my-proj',
      endpoint:
        'https://console.cloud.google.com/vertex-ai/locations/europe-west4/endpoints/ferry-flowers?project=my-proj',
    });
  });

  it('gives none for a run that reached neither', () => {
    expect(consoleLinks(sampleRun(), 'my-proj')).toBeUndefined();
  });
});
