import type { Command } from 'commander';
import { withEngine } from '../engine-session';
import { formatBytes, printJson } from '../output';

/** `transfer-studio info [--json]`: version, tfjs backend (and why better ones were skipped), ONNX Runtime, CPUs, memory. */
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('show the engine: version, compute backend, ONNX Runtime, CPUs, memory')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      const info = await withEngine((engine) => engine.call('info', {}));
      if (options.json) {
        printJson(info);
        return;
      }
      console.log(`Transfer Studio ${info.version} (node ${info.node}, ${info.platform}-${info.arch})`);
      console.log(`Backend: ${info.backend.name}${info.backend.forced ? ' (forced)' : ''}`);
      for (const attempt of info.backend.tried) {
        console.log(`  ${attempt.ok ? '✓' : '✗'} ${attempt.name}${attempt.reason ? ` — ${attempt.reason}` : ''}`);
      }
      console.log(
        `ONNX Runtime: ${info.onnxruntime.available ? `available (${info.onnxruntime.version})` : info.onnxruntime.error}`,
      );
      const providers = (info.onnxruntime.providers ?? []).map((p) =>
        p.bundled ? p.name : `${p.name} (not installed)`,
      );
      if (providers.length > 0) console.log(`  providers: ${providers.join(', ')}`);
      console.log(
        `  feature extraction: ${info.onnxruntime.extractor ?? 'auto'} (ONNX Runtime when the base converts to ONNX, else tfjs)`,
      );
      console.log(
        `CPUs: ${info.cpus}; memory: ${formatBytes(info.memory.freeBytes)} free of ${formatBytes(info.memory.totalBytes)}`,
      );
    });
}
