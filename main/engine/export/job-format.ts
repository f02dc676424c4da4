/**
 * The `job` export format: the Keras training job folder (./job.ts), verified by compiling train.py with the
 * machine's Python when there is one and checking the manifest against the run's test split and base.h5 against
 * the base's input.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { JOB_FILES, writeJob } from './job';
import { readKerasH5 } from './keras-h5-file';
import type { ExportFormat } from './registry';

const run = promisify(execFile);

/** Compiles a Python file with the first python3 found (bytecode to a temp folder, never beside it); undefined when no Python is installed. */
async function pyCompile(file: string): Promise<string | undefined> {
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'ts-pycompile-'));
  const script = 'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)';
  try {
    for (const python of ['python3', 'python']) {
      try {
        await run(python, ['-c', script, file, path.join(scratch, 'train.pyc')]);
        return python;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        const why = (error as { stderr?: string }).stderr ?? (error as Error).message;
        throw new Error(`train.py does not compile: ${why}`, { cause: error });
      }
    }
    return undefined;
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

export const jobFormat: ExportFormat = {
  id: 'job',
  name: 'Keras training job',
  description:
    'train.py + data manifest + base .h5 to retrain this model in TensorFlow on bigger machines (tf.distribute).',
  files: [...JOB_FILES, 'labels.txt', 'README.md'],
  async export(runInfo, dir, ctx) {
    await writeJob(runInfo, dir, { signal: ctx.signal });
  },
  async verify(dir, runInfo) {
    const python = await pyCompile(path.join(dir, 'train.py'));
    const manifest = (await fs.readFile(path.join(dir, 'manifest.csv'), 'utf8')).trim().split('\n').slice(1);
    const base = await readKerasH5(path.join(dir, 'base.h5'));
    const tests = manifest.filter((line) => line.endsWith(',test')).length;
    const recorded = runInfo.state.test?.count ?? 0;
    const ok = tests === recorded && base.layers.length > 0;
    return {
      ok,
      detail:
        `${python ? `train.py compiles (${python} py_compile)` : 'no Python here to compile train.py'}; ` +
        `manifest.csv lists ${manifest.length} images (${tests} test, run.json records ${recorded}); base.h5 has ${base.layers.length} layers`,
    };
  },
};
