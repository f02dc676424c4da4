/**
 * Splits a classifier whose lower base is frozen into a frozen prefix (run in inference mode,
 * outside the gradient tape) and a trainable suffix (what `fit` trains). tfjs keeps every
 * activation of a `fit` step on its tape, so training a whole MobileNetV2 at 224² on wasm runs
 * out of memory and computes work nobody needs; the prefix's output is all the suffix needs.
 * The suffix shares its layers (hence weights) with the original model.
 */
import * as tf from '@tensorflow/tfjs';

export interface TrainableSplit {
  /** Input → the single tensor entering the first trainable layer; undefined when nothing is frozen below it. */
  prefix?: tf.LayersModel;
  /** That tensor → the model's output (the model itself when there is no prefix). */
  suffix: tf.LayersModel;
}

type Node = { inputTensors: tf.SymbolicTensor[]; outputTensors: tf.SymbolicTensor[] };

function nodeOf(model: tf.LayersModel, layer: tf.layers.Layer): Node | undefined {
  const containerNodes = (model as unknown as { containerNodes: Set<string> }).containerNodes;
  const nodes = (layer as unknown as { inboundNodes: Node[] }).inboundNodes;
  for (let i = 0; i < nodes.length; i++) if (containerNodes.has(`${layer.name}_ib-${i}`)) return nodes[i];
  return undefined;
}

/**
 * Cuts `model` just below its first layer with trainable weights, if one tensor alone crosses
 * the cut (true at MobileNetV2 block boundaries); otherwise returns the model whole.
 */
export function splitAtTrainable(model: tf.LayersModel): TrainableSplit {
  const layers = model.layers;
  const first = layers.findIndex((l) => l.trainable && l.trainableWeights.length > 0);
  if (first <= 1 || model.inputs.length !== 1 || model.outputs.length !== 1) return { suffix: model };
  const prefixLayers = new Set(layers.slice(0, first));
  const crossing = new Map<number, tf.SymbolicTensor>();
  const nodes = new Map<tf.layers.Layer, Node>();
  for (const layer of layers.slice(first)) {
    const node = nodeOf(model, layer);
    if (!node || node.outputTensors.length !== 1) return { suffix: model };
    nodes.set(layer, node);
    for (const t of node.inputTensors) if (prefixLayers.has(t.sourceLayer as tf.layers.Layer)) crossing.set(t.id, t);
  }
  if (crossing.size !== 1) return { suffix: model };
  const boundary = [...crossing.values()][0]!;
  const input = tf.input({ shape: boundary.shape.slice(1) as number[], name: 'frozen_features' });
  const mapped = new Map<number, tf.SymbolicTensor>([[boundary.id, input]]);
  for (const layer of layers.slice(first)) {
    const node = nodes.get(layer)!;
    const inputs = node.inputTensors.map((t) => mapped.get(t.id));
    if (inputs.some((t) => t === undefined)) return { suffix: model };
    const out = layer.apply(inputs.length === 1 ? inputs[0]! : (inputs as tf.SymbolicTensor[])) as tf.SymbolicTensor;
    mapped.set(node.outputTensors[0]!.id, out);
  }
  const output = mapped.get(model.outputs[0]!.id);
  if (!output) return { suffix: model };
  return {
    prefix: tf.model({ inputs: model.inputs, outputs: boundary, name: `${model.name}_frozen` }),
    suffix: tf.model({ inputs: input, outputs: output, name: `${model.name}_trainable` }),
  };
}
