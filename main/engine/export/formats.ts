/**
 * The formats of the registry, registered in the order the Export step and `--help` list them.
 * A new format: one module exporting an {@link ExportFormat}, one entry in `BUILT_IN_FORMATS`.
 */
import { registerFormat, type ExportFormat } from './registry';
import { tfjsFormat } from './tfjs-format';
import { tmFormat } from './tm-format';
import { kerasFormat } from './keras-format';
import { jobFormat } from './job-format';
import { onnxFormat } from './onnx-format';

const BUILT_IN_FORMATS: ExportFormat[] = [tfjsFormat, tmFormat, kerasFormat, onnxFormat, jobFormat];

for (const format of BUILT_IN_FORMATS) registerFormat(format);
