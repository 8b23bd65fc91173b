/**
 * Where a workflow's golden set lives: `gs://bucket/path`, a path relative to the artifact
 * (`./golden.jsonl`, shipped by the training job beside its model), or a path in the artifacts bucket.
 */
export function goldenSetLocation(
  goldenSet: string,
  artifactBucket: string,
  artifactRoot: string,
): { bucket: string; name: string } {
  const gs = /^gs:\/\/([^/]+)\/(.+)$/.exec(goldenSet);
  if (gs) return { bucket: gs[1], name: gs[2] };
  if (goldenSet.startsWith('./')) {
    const folder = artifactRoot.endsWith('/') ? artifactRoot : artifactRoot.slice(0, artifactRoot.lastIndexOf('/') + 1);
    return { bucket: artifactBucket, name: `${folder}${goldenSet.slice(2)}` };
  }
  return { bucket: artifactBucket, name: goldenSet };
}
