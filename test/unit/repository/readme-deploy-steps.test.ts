import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployStepCommands } from '../../helpers/readme-deploy-steps';

const SAMPLE = [
  '## Try it',
  '```sh',
  '# 3. not this one',
  'echo wrong',
  '```',
  '## Deploy to Google Cloud',
  '```sh',
  '# 2. Create',
  'terraform apply',
  '',
  '# 3. Start a run',
  'gcloud storage cp a gs://$BUCKET/a   # trailing comment kept',
  '# 4. Follow it',
  'gcloud pubsub subscriptions pull s',
  '```',
].join('\n');

describe('deployStepCommands', () => {
  it("takes a step's command lines verbatim from the Deploy section's block, up to the next step", () => {
    expect(deployStepCommands(SAMPLE, 3)).toEqual(['gcloud storage cp a gs://$BUCKET/a   # trailing comment kept']);
    expect(deployStepCommands(SAMPLE, 4)).toEqual(['gcloud pubsub subscriptions pull s']);
  });

  it('fails naming what is missing', () => {
    expect(() => deployStepCommands(SAMPLE, 5)).toThrow(/no step "# 5\."/);
    expect(() => deployStepCommands('## Try it\n', 3)).toThrow(/no "## Deploy to Google Cloud" section/);
  });

  it("finds steps 3 and 4 in this repository's README, each with gcloud commands", () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    for (const step of [3, 4]) expect(deployStepCommands(readme, step).some((c) => c.startsWith('gcloud '))).toBe(true);
  });
});
