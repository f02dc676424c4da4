export interface OnnxRuntimeReport {
  available: boolean;
  version?: string;
  error?: string;
  /** Execution providers this onnxruntime-node build knows; `bundled: false` ones need an extra install. */
  providers?: { name: string; bundled: boolean }[];
  /** The feature-extraction engine asked for (TRANSFER_STUDIO_EXTRACTOR): auto uses ORT when the base converts. */
  extractor?: string;
}

let report: Promise<OnnxRuntimeReport> | undefined;

/** Loads onnxruntime-node once and reports whether its native binding works here, and its providers. */
export function probeOnnxRuntime(): Promise<OnnxRuntimeReport> {
  report ??= (async () => {
    const extractor = process.env.TRANSFER_STUDIO_EXTRACTOR || 'auto';
    try {
      const ort = await import('onnxruntime-node');
      const version = ort.env.versions.node ?? ort.env.versions.common;
      const providers = ort.listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled }));
      return { available: true, version, providers, extractor };
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return {
        available: false,
        error: `onnxruntime-node could not load: ${message}; features come from tfjs.`,
        extractor,
      };
    }
  })();
  return report;
}
