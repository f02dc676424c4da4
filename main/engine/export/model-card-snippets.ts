/**
 * The model card's load-and-predict snippets: JS with tfjs (or Teachable Machine's loader for the tm
 * format), Python with the Keras file when that format is in the export, Python with onnxruntime when
 * the ONNX format is.
 */
import type { ModelInput } from '../../../shared/contract/model-metadata';

export interface SnippetRun {
  /** The format the card is written for. */
  format: string;
  /** Every format of this export (snippets of the others point at their sibling folders). */
  formats: string[];
  input?: ModelInput;
  size: number;
  /** Model file per format id (e.g. { keras: "model.h5" }). */
  modelFiles: Record<string, string | undefined>;
}

/** How JS code turns an image into the input of the tfjs model, per input kind. */
function jsInput(input: ModelInput | undefined, size: number): string {
  const pixels = `tf.image.resizeBilinear(tf.browser.fromPixels(image), [${size}, ${size}]).toFloat().expandDims(0)`;
  if (input === 'tm') return `${pixels}.div(127).sub(1)`;
  return pixels;
}

function tfjsSnippet(run: SnippetRun): string {
  return [
    '```js',
    "import * as tf from '@tensorflow/tfjs';",
    '',
    `const model = await tf.loadLayersModel('${run.modelFiles[run.format] ?? 'model.json'}'); // a URL, or tf.io.fileSystem in Node`,
    "const labels = (await (await fetch('labels.txt')).text()).trim().split('\\n').map((line) => line.slice(line.indexOf(' ') + 1));",
    `// image: an <img>, <canvas> or ImageData, centre-cropped to a square; ${run.input === 'pixels' ? 'raw 0–255 RGB, the model scales itself' : 'scaled as the Preprocessing section says'}`,
    `const probabilities = tf.tidy(() => model.predict(${jsInput(run.input, run.size)}).dataSync());`,
    'const top = probabilities.indexOf(Math.max(...probabilities));',
    'console.log(labels[top], probabilities[top]);',
    '```',
  ].join('\n');
}

function tmSnippet(): string {
  return [
    '```js',
    "import * as tmImage from '@teachablemachine/image'; // 0.8.5, with @tensorflow/tfjs 1.3.1",
    '',
    "const model = await tmImage.load('model.json', 'metadata.json');",
    'const predictions = await model.predict(image); // [{ className, probability }, …] in label order',
    'console.log(predictions.reduce((a, b) => (b.probability > a.probability ? b : a)));',
    '```',
  ].join('\n');
}

function kerasSnippet(run: SnippetRun): string {
  const file = `${run.format === 'keras' ? '' : '../keras/'}${run.modelFiles['keras'] ?? 'model.h5'}`;
  return [
    '```python',
    'import numpy as np, tensorflow as tf',
    '',
    `model = tf.keras.models.load_model("${file}")`,
    `image = tf.keras.utils.load_img("photo.jpg", target_size=(${run.size}, ${run.size}))  # centre-crop first for "cover"`,
    'x = np.expand_dims(tf.keras.utils.img_to_array(image), 0)  # see Preprocessing for what the input holds',
    'print(model.predict(x)[0])',
    '```',
  ].join('\n');
}

function onnxSnippet(run: SnippetRun): string {
  const file = `${run.format === 'onnx' ? '' : '../onnx/'}${run.modelFiles['onnx'] ?? 'model.onnx'}`;
  return [
    '```python',
    'import numpy as np, onnxruntime as ort',
    'from PIL import Image',
    '',
    `session = ort.InferenceSession("${file}")`,
    `image = Image.open("photo.jpg").convert("RGB").resize((${run.size}, ${run.size}))`,
    'x = np.asarray(image, dtype=np.float32)[None]  # NHWC; see Preprocessing for what the input holds',
    'print(session.run(None, {session.get_inputs()[0].name: x})[0][0])',
    '```',
  ].join('\n');
}

/** The "Load and predict" section's snippets for this export. */
export function snippets(run: SnippetRun): string[] {
  const out: string[] = [];
  if (run.format === 'tm') out.push("JavaScript, with Teachable Machine's loader:", tmSnippet());
  if (run.format === 'tfjs' || run.format === 'tm') out.push('JavaScript, with TensorFlow.js:', tfjsSnippet(run));
  if (run.formats.includes('keras')) out.push('Python, with the Keras file:', kerasSnippet(run));
  if (run.formats.includes('onnx')) out.push('Python, with onnxruntime:', onnxSnippet(run));
  return out;
}
