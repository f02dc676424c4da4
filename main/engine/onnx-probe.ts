export interface OnnxRuntimeReport {
  available: boolean;
  version?: string;
  error?: string;
}

let report: Promise<OnnxRuntimeReport> | undefined;

/** Loads onnxruntime-node once and reports whether its native binding works here. */
export function probeOnnxRuntime(): Promise<OnnxRuntimeReport> {
  report ??= (async () => {
    try {
      const ort = await import('onnxruntime-node');
      const version = ort.env.versions.node ?? ort.env.versions.common;
      return { available: true, version };
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return { available: false, error: `onnxruntime-node could not load: ${message}` };
    }
  })();
  return report;
}
