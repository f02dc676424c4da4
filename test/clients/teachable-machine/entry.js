// Test-only page script: Teachable Machine's image loader (CommonJS dist of @teachablemachine/image 0.8.5)
// with its own tfjs 1.3.1, bundled by esbuild in test/integration/export/tm-chromium.test.ts.
import * as tmImage from '@teachablemachine/image';
import * as tf from '@tensorflow/tfjs';

globalThis.tmImage = tmImage;
globalThis.tf = tf;
