/**
 * The shell commands of one numbered step (`# 3. ...`) in the fenced block of the README's
 * "Deploy to Google Cloud" section, as a user would paste them: comment and blank lines dropped,
 * everything else verbatim. Throws when the section, the block or the step is gone, so a test
 * built on it fails when the README drifts.
 */
export function deployStepCommands(readme: string, step: number): string[] {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Deploy to Google Cloud'));
  if (!section) throw new Error('README.md has no "## Deploy to Google Cloud" section');
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('the Deploy section of README.md has no ```sh block');
  const lines = block.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`# ${step}.`));
  if (start < 0) throw new Error(`the Deploy block of README.md has no step "# ${step}."`);
  const end = lines.findIndex((line, i) => i > start && /^# \d+\./.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((line) => line.trim() && !line.startsWith('#'));
}
