/**
 * train.py of the Keras training job: reproduces a run in TensorFlow — images from the manifest (the run's exact
 * split), the run's preprocessing, the frozen base from base.h5, the same Sequential head (./model-code.ts), the
 * same two phases and settings, under tf.distribute. Every setting of the run's config is written into SETTINGS
 * under its run.json name and read from there. Pure: no node imports.
 */
import type { TrainConfig } from '../contract/training';
import { kerasModelCode, type KerasModelCodeOptions } from './model-code';
import { pyValue } from './python';

/** Settings of the run config that train.py applies through other constants than SETTINGS, and how. */
export const SETTINGS_APPLIED_ELSEWHERE: Readonly<Record<string, string>> = {
  validationSplit: "manifest.csv holds the run's exact split",
  'fineTune.unit': 'FINE_TUNE_LAYERS lists the layers it chose',
};

/** How images are resized before the model (the run's PreprocessOptions). */
export interface KerasPreprocess {
  size: number;
  resize: 'cover' | 'contain' | 'stretch';
  background: string;
}

/** Options of {@link kerasTrainScript}. */
export interface KerasTrainScriptOptions {
  model: Omit<KerasModelCodeOptions, 'imports'>;
  /** Class names; the manifest's labels are these. */
  classes: string[];
  /** The run's full training config (defaults filled in). */
  config: TrainConfig;
  preprocess: KerasPreprocess;
  /** Base layers unfrozen in phase 2 (the app's top `fineTune.top` blocks/layers), bottom to top. */
  fineTuneLayers: string[];
  /** Run id, for the docstring. Default: none. */
  runId?: string;
}

const TEMPLATE = `
def parse_args():
    parser = argparse.ArgumentParser(description="Reproduce a Transfer Studio run in TensorFlow.")
    parser.add_argument("--manifest", default=os.path.join(HERE, "manifest.csv"), help="CSV of path,label,split")
    parser.add_argument("--data-root", default=None, help="Replace the folder images were under (see TRAINING.md)")
    parser.add_argument("--old-root", default=None, help="The folder prefix --data-root replaces")
    parser.add_argument("--out", default=os.path.join(HERE, "output"), help="Where model.h5 and history.json go")
    parser.add_argument("--multi-worker", action="store_true",
                        help="Use MultiWorkerMirroredStrategy (set TF_CONFIG on every worker first)")
    return parser.parse_args()


def make_strategy(multi_worker):
    # One machine, all of its GPUs: MirroredStrategy. A cluster: TF_CONFIG on every worker, then --multi-worker.
    if multi_worker:
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.MirroredStrategy()


def read_manifest(path, old_root, new_root):
    splits = {"train": ([], []), "validation": ([], []), "test": ([], [])}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            file = row["path"]
            if new_root and old_root and file.startswith(old_root):
                file = new_root + file[len(old_root):]
            paths, labels = splits[row["split"]]
            paths.append(file)
            labels.append(CLASSES.index(row["label"]))
    return splits


def load_image(path):
    size = PREPROCESS["size"]
    image = tf.io.decode_image(tf.io.read_file(path), channels=4, expand_animations=False)
    image = tf.cast(image, tf.float32)
    background = tf.constant(BACKGROUND, tf.float32)
    alpha = image[..., 3:] / 255.0
    image = image[..., :3] * alpha + background * (1.0 - alpha)  # flatten transparency onto the background
    if PREPROCESS["resize"] == "cover":  # centre-crop to a square, then resize
        image = keras.preprocessing.image.smart_resize(image, (size, size), interpolation="lanczos3")
    elif PREPROCESS["resize"] == "contain":  # fit inside, pad with the background
        image = tf.image.resize(image, (size, size), method="lanczos3", preserve_aspect_ratio=True)
        pad_h, pad_w = size - tf.shape(image)[0], size - tf.shape(image)[1]
        paddings = [[pad_h // 2, pad_h - pad_h // 2], [pad_w // 2, pad_w - pad_w // 2], [0, 0]]
        image = tf.stack([tf.pad(image[..., c], paddings[:2], constant_values=BACKGROUND[c]) for c in range(3)], -1)
    else:  # stretch
        image = tf.image.resize(image, (size, size), method="lanczos3")
    return tf.clip_by_value(tf.round(image), 0.0, 255.0)


def augmenter():
    aug = SETTINGS["augmentation"]
    steps = []
    if aug["flip"]:
        steps.append(layers.RandomFlip("horizontal"))
    if aug["rotation"] > 0:
        steps.append(layers.RandomRotation(aug["rotation"] / 360.0, fill_mode="reflect"))
    if aug["zoom"] > 0:
        steps.append(layers.RandomZoom((-aug["zoom"], 0.0)))
    if aug["brightness"] > 0:
        steps.append(layers.RandomBrightness(aug["brightness"], value_range=(0, 255)))
    if aug["contrast"] > 0:
        steps.append(layers.RandomContrast(aug["contrast"]))
    if aug["noise"] > 0:
        steps.append(layers.GaussianNoise(aug["noise"]))
    return keras.Sequential(steps, name="augmentation")


def augment_batch(augment, images):
    images = tf.clip_by_value(augment(images, training=True), 0.0, 255.0)
    saturation = SETTINGS["augmentation"]["saturation"]
    if saturation > 0:
        images = tf.image.random_saturation(images / 255.0, 1.0 - saturation, 1.0 + saturation) * 255.0
    return tf.clip_by_value(images, 0.0, 255.0)


def make_dataset(paths, labels, training, batch_size=None):
    data = tf.data.Dataset.from_tensor_slices((paths, tf.one_hot(labels, len(CLASSES))))
    if training:
        data = data.shuffle(len(paths), seed=SETTINGS["seed"], reshuffle_each_iteration=True)
    data = data.map(lambda p, y: (load_image(p), y), num_parallel_calls=tf.data.AUTOTUNE)
    data = data.batch(batch_size or SETTINGS["batchSize"])
    if training and SETTINGS["augment"] > 0:
        augment = augmenter()
        data = data.map(lambda x, y: (augment_batch(augment, x), y), num_parallel_calls=tf.data.AUTOTUNE)
    return data.prefetch(tf.data.AUTOTUNE)


def class_weights(labels):
    setting = SETTINGS["classWeights"]
    if setting == "none":
        return None
    if setting == "auto":  # n / (C * n_c), Keras/sklearn "balanced"
        counts = np.bincount(labels, minlength=len(CLASSES))
        return {c: len(labels) / (len(CLASSES) * max(int(n), 1)) for c, n in enumerate(counts)}
    return {c: float(w) for c, w in enumerate(setting)}


def make_optimizer(name, learning_rate, momentum):
    if name == "sgd":
        return keras.optimizers.SGD(learning_rate, momentum=0.9 if momentum is None else momentum)
    if name == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate, momentum=0.0 if momentum is None else momentum)
    return keras.optimizers.Adam(learning_rate)


def callbacks():
    stop = SETTINGS["earlyStopping"]
    if stop["patience"] == 0:
        return []
    return [keras.callbacks.EarlyStopping(monitor="val_loss", patience=stop["patience"], min_delta=stop["minDelta"],
                                          restore_best_weights=stop["restoreBestWeights"])]


def compile_model(model, optimizer, learning_rate):
    model.compile(optimizer=make_optimizer(optimizer, learning_rate, SETTINGS["momentum"]),
                  loss=keras.losses.CategoricalCrossentropy(label_smoothing=SETTINGS["labelSmoothing"]),
                  metrics=["accuracy"])


def main():
    args = parse_args()
    keras.utils.set_random_seed(SETTINGS["seed"])
    strategy = make_strategy(args.multi_worker)
    print("Replicas:", strategy.num_replicas_in_sync)
    splits = read_manifest(args.manifest, args.old_root, args.data_root)
    train = make_dataset(*splits["train"], training=True)
    validation = make_dataset(*splits["validation"], training=False)
    weights = class_weights(splits["train"][1])

    with strategy.scope():
        base, model = build_model()
        compile_model(model, SETTINGS["optimizer"], SETTINGS["learningRate"])
    # Phase 1: the frozen base, only the head trains.
    history = model.fit(train, validation_data=validation, epochs=SETTINGS["epochs"], class_weight=weights,
                        callbacks=callbacks())
    records = history.history
    tune = SETTINGS["fineTune"]
    if tune["top"] > 0:
        # Phase 2: unfreeze the top of the base; its BatchNormalization stays in inference mode (training=False).
        with strategy.scope():
            base.trainable = True
            for layer in base.layers:
                layer.trainable = layer.name in FINE_TUNE_LAYERS
            compile_model(model, tune["optimizer"], tune["learningRate"])
        start = len(history.epoch)
        # Full images per step: at most 32 unless fineTune.batchSize says otherwise (as the app does).
        tune_batch = tune.get("batchSize") or min(SETTINGS["batchSize"], 32)
        tune_train = make_dataset(*splits["train"], training=True, batch_size=tune_batch)
        tuned = model.fit(tune_train, validation_data=validation, initial_epoch=start, epochs=start + tune["epochs"],
                          class_weight=weights, callbacks=callbacks())
        for key, values in tuned.history.items():
            records.setdefault(key, []).extend(values)

    os.makedirs(args.out, exist_ok=True)
    if splits["test"][0]:
        loss, accuracy = model.evaluate(make_dataset(*splits["test"], training=False))
        records["test"] = {"loss": loss, "accuracy": accuracy}
        print(f"Test accuracy: {accuracy:.4f}")
    model.save(os.path.join(args.out, "model.h5"))
    with open(os.path.join(args.out, "history.json"), "w", encoding="utf-8") as handle:
        json.dump(records, handle, indent=2, default=float)


if __name__ == "__main__":
    main()
`;

function indent(code: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return code
    .trimEnd()
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n');
}

function pyDict(value: Record<string, unknown>, spaces = 4): string {
  const pad = ' '.repeat(spaces);
  return `{\n${Object.entries(value)
    .map(([k, v]) => `${pad}${JSON.stringify(k)}: ${pyValue(v)},`)
    .join('\n')}\n}`;
}

function hexToRgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** The complete train.py. */
export function kerasTrainScript(options: KerasTrainScriptOptions): string {
  const config = {
    ...options.config,
    momentum: options.config.momentum ?? null,
    augmentation: options.config.augmentation ?? {
      flip: true,
      rotation: 15,
      zoom: 0.15,
      brightness: 0.15,
      contrast: 0.15,
      saturation: 0.15,
      noise: 4,
    },
  };
  const modelCode = kerasModelCode({ ...options.model, imports: false });
  return [
    '"""',
    `Reproduces the Transfer Studio run${options.runId ? ` ${options.runId}` : ''} in TensorFlow / Keras 2`,
    '(tf.keras, TensorFlow 2.9 or newer): the same split (manifest.csv), preprocessing, frozen base (base.h5),',
    'Sequential head, two phases and settings, under tf.distribute. See TRAINING.md.',
    '',
    '    python train.py                  # this machine, all its GPUs (MirroredStrategy)',
    '    python train.py --multi-worker   # a cluster: TF_CONFIG on every worker (MultiWorkerMirroredStrategy)',
    '"""',
    'import argparse',
    'import csv',
    'import json',
    'import os',
    '',
    'import numpy as np',
    'import tensorflow as tf',
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    '',
    'HERE = os.path.dirname(os.path.abspath(__file__))',
    '',
    "# The run's training config, as run.json records it (request.config). Two settings act through other",
    `# constants: ${Object.entries(SETTINGS_APPLIED_ELSEWHERE)
      .map(([k, v]) => `${k} (${v})`)
      .join('; ')}.`,
    '# The app caches `augment` variants per image for phase 1; here images are augmented on the fly.',
    `SETTINGS = ${pyDict(config)}`,
    `CLASSES = ${pyValue(options.classes)}`,
    `PREPROCESS = ${pyValue(options.preprocess)}`,
    `BACKGROUND = ${pyValue(hexToRgb(options.preprocess.background))}`,
    '# Base layers unfrozen in phase 2 (the top fineTune.top units of the base), bottom to top.',
    `FINE_TUNE_LAYERS = ${pyValue(options.fineTuneLayers)}`,
    '',
    '',
    'def build_model():',
    `    """The model as the app builds it; the base file is looked up beside this script."""`,
    indent(modelCode.replace(/load_model\("([^"]+)"/, 'load_model(os.path.join(HERE, "$1")'), 4),
    '    return base, model',
    '',
    TEMPLATE,
  ].join('\n');
}
