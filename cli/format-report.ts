import type { InspectReport, SavedModelReport, TfliteReport } from '../functions/artifacts/inspect-artifact';

const shape = (dims: number[] | null) => (dims === null ? '<unknown rank>' : `[${dims.join(',')}]`);

/** The readable form of `ferry inspect`. */
export function formatReport(report: InspectReport): string {
  return report.kind === 'savedmodel' ? formatSavedModel(report) : formatTflite(report);
}

function formatSavedModel(report: SavedModelReport): string {
  const lines = [`SavedModel ${report.location} (schema version ${report.schemaVersion})`];
  for (const graph of report.metaGraphs) {
    lines.push(`  MetaGraph [${graph.tags.join(', ')}]  TensorFlow ${graph.tensorflowVersion || 'unknown'}`);
    for (const [name, signature] of Object.entries(graph.signatures)) {
      lines.push(`    signature ${name} (${signature.method})`);
      for (const [key, t] of Object.entries(signature.inputs))
        lines.push(`      in  ${key}: ${t.dtype} ${shape(t.shape)}  (${t.name})`);
      for (const [key, t] of Object.entries(signature.outputs))
        lines.push(`      out ${key}: ${t.dtype} ${shape(t.shape)}  (${t.name})`);
    }
  }
  const v = report.variables;
  if (!v) lines.push('  variables: none (no checkpoint)');
  else {
    const state = v.verified
      ? v.crcChecked
        ? 'complete, crc32c verified'
        : 'complete (checksums not read)'
      : 'PROBLEMS (see below)';
    lines.push(`  variables: ${v.entries} entries in ${v.shards} shard(s), ${v.bytes} bytes, ${state}`);
  }
  if (report.assets.length > 0) lines.push(`  assets: ${report.assets.join(', ')}`);
  return lines.join('\n');
}

function formatTflite(report: TfliteReport): string {
  const lines = [`TFLite ${report.location} (${report.sizeBytes} bytes, schema version ${report.schemaVersion})`];
  if (report.description) lines.push(`  description: ${report.description}`);
  for (const t of report.inputs)
    lines.push(
      `  in  ${t.name}: ${t.dtype} ${shape(t.shape)}${t.shapeSignature ? ` signature ${shape(t.shapeSignature)}` : ''}${t.quantization ? ' quantized' : ''}`,
    );
  for (const t of report.outputs)
    lines.push(
      `  out ${t.name}: ${t.dtype} ${shape(t.shape)}${t.shapeSignature ? ` signature ${shape(t.shapeSignature)}` : ''}${t.quantization ? ' quantized' : ''}`,
    );
  lines.push(`  operators: ${report.operators.map((op) => `${op.name} v${op.version}`).join(', ') || 'none'}`);
  lines.push(`  custom operators: ${report.customOperators.join(', ') || 'none'}`);
  for (const s of report.signatures)
    lines.push(`  signature ${s.key}: ${Object.keys(s.inputs).join(', ')} → ${Object.keys(s.outputs).join(', ')}`);
  const metadata = Object.entries(report.metadata).map(
    ([k, v]) => `${k}=${typeof v === 'string' ? v : `${v.bytes} bytes`}`,
  );
  if (metadata.length > 0) lines.push(`  metadata: ${metadata.join(', ')}`);
  lines.push(
    `  buffers: ${report.buffers.count} holding ${report.buffers.totalBytes} bytes; ${report.subgraphs.length} subgraph(s)`,
  );
  return lines.join('\n');
}
