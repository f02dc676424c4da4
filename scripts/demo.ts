/**
 * `npm run demo`: the app's main job headless, offline, on the bundled base — Fashion-MNIST images
 * (Debian's dataset-fashion-mnist, 100 per class, written as PNG class folders) → scan → train the
 * default head on the bundled MobileNetV2 → validation accuracy, run folder with the saved model.
 * Extra arguments go to `transfer-studio train` (e.g. `npm run demo -- --epochs 5 --fine-tune 1`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FASHION_MNIST_DIR, fashionMnistFolders } from '../test/fixtures/fashion-mnist';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(FASHION_MNIST_DIR)) {
  console.error(
    `demo: Fashion-MNIST is not installed at ${FASHION_MNIST_DIR}; run \`bash scripts/setup.sh\` (apt-get install dataset-fashion-mnist).`,
  );
  process.exit(1);
}
console.error('demo: writing 100 Fashion-MNIST images per class as PNG folders…');
const data = await fashionMnistFolders({ perClass: 100 });
const runDir = path.join(repo, '.fixtures', 'demo-run');
const args = [
  path.join(repo, 'bin', 'transfer-studio.js'),
  'train',
  data,
  '--out',
  runDir,
  '--epochs',
  '20',
  ...process.argv.slice(2),
];
console.error(`demo: transfer-studio train ${path.relative(repo, data)} --out ${path.relative(repo, runDir)} …`);
const train = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(train.status ?? 1);
