/**
 * tfjs layers model → ONNX ModelProto: any sub-model from the model's input to a chosen layer, one
 * node family per file under ops/. Rank-4 values run NCHW inside the graph: the NHWC input is
 * transposed once, and outputs come back in Keras (channels-last) order.
 */
import * as tf from '@tensorflow/tfjs';
import { StudioError, quote } from '../../../shared/errors';
import { GraphBuilder, type Value } from './graph';
import { LAYER_CONVERTERS } from './ops';
import { onnx, type OnnxTypes } from './proto';

/** ONNX operator set written (Softmax over one axis, Clip/Pad inputs). */
export const OPSET = 13;

export interface ConvertOptions {
  /** Cut the model at this layer's output (as `Model(model.input, model.get_layer(name).output)`). Default: the model's output. */
  outputLayer?: string;
  /** Name of the graph input. Default: "input". */
  inputName?: string;
  /** Name of the graph output. Default: "output". */
  outputName?: string;
  /** Extra `metadata_props` of the model. Default: none. */
  metadata?: Record<string, string>;
}

type Symbolic = tf.SymbolicTensor;

/** Layer classes the converter knows. */
export function supportedLayerClasses(): string[] {
  return Object.keys(LAYER_CONVERTERS).sort();
}

/**
 * The first layer of `model` (up to `outputLayer`) that cannot be converted, with why; undefined when all can.
 * Cheap: reads classes and settings only, no weights.
 */
export function findUnsupportedLayer(
  model: tf.LayersModel,
  outputLayer?: string,
): { layer: string; className: string } | undefined {
  for (const layer of layersUpTo(model, outputLayer)) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') continue;
    if (layer instanceof tf.LayersModel) {
      const inner = findUnsupportedLayer(layer);
      if (inner) return inner;
    } else if (!LAYER_CONVERTERS[cls]) return { layer: layer.name, className: cls };
  }
  return undefined;
}

/**
 * Converts `model` (or its sub-model up to `options.outputLayer`) to an ONNX model.
 * @throws StudioError UNSUPPORTED naming the first layer (and its class) that cannot be converted.
 */
export function convertToOnnx(model: tf.LayersModel, options: ConvertOptions = {}): OnnxTypes.ModelProto {
  if (model.inputs.length !== 1) {
    throw new StudioError(
      'UNSUPPORTED',
      `Model ${quote(model.name)} has ${model.inputs.length} inputs; ONNX conversion needs exactly one.`,
    );
  }
  const output = outputTensor(model, options.outputLayer);
  const g = new GraphBuilder();
  const input = model.inputs[0]!;
  const inputName = g.unique(options.inputName ?? 'input');
  let inputValue: Value = { name: inputName, layout: 'plain', shape: input.shape.slice() };
  inputValue = g.toGraphOrder(inputValue, 'input'); // the one transpose NHWC → NCHW
  const values = new Map<number, Value>([[input.id, inputValue]]);
  let result = g.toPlain(emit(g, output, values), 'output');
  const outputName = options.outputName ?? 'output';
  result = { ...result, name: g.node('Identity', [result.name], outputName) };
  const graph: OnnxTypes.IGraphProto = {
    name: model.name.replace(/[^\w]/g, '_'),
    node: g.nodes,
    initializer: g.initializers,
    input: [valueInfo(inputName, input.shape)],
    output: [valueInfo(result.name, output.shape)],
  };
  return onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'transfer-studio',
    producerVersion: '1',
    graph,
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
  });
}

/** The serialised bytes of a converted model. */
export function encodeOnnx(model: OnnxTypes.ModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

function outputTensor(model: tf.LayersModel, outputLayer: string | undefined): Symbolic {
  if (outputLayer === undefined) {
    if (model.outputs.length !== 1)
      throw new StudioError(
        'UNSUPPORTED',
        `Model ${quote(model.name)} has ${model.outputs.length} outputs; choose one layer.`,
      );
    return model.outputs[0]!;
  }
  const layer = model.layers.find((l) => l.name === outputLayer);
  if (!layer)
    throw new StudioError('BAD_INPUT', `The model has no layer named ${quote(outputLayer)}.`, { layer: outputLayer });
  if (layer.inboundNodes.length !== 1 || Array.isArray(layer.output)) {
    throw new StudioError(
      'BAD_INPUT',
      `Layer ${quote(outputLayer)} has several outputs; choose a layer with one output.`,
      { layer: outputLayer },
    );
  }
  return layer.output as Symbolic;
}

function layersUpTo(model: tf.LayersModel, outputLayer?: string): tf.layers.Layer[] {
  const seen = new Set<tf.layers.Layer>();
  const visit = (t: Symbolic) => {
    if (seen.has(t.sourceLayer as tf.layers.Layer)) return;
    seen.add(t.sourceLayer as tf.layers.Layer);
    for (const i of inboundInputs(t)) visit(i);
  };
  visit(outputTensor(model, outputLayer));
  return model.layers.filter((l) => seen.has(l));
}

function inboundInputs(t: Symbolic): Symbolic[] {
  const layer = t.sourceLayer as tf.layers.Layer;
  return layer.inboundNodes[t.nodeIndex]?.inputTensors ?? [];
}

/** The value of symbolic tensor `t`, converting the layers it depends on first. */
function emit(g: GraphBuilder, t: Symbolic, values: Map<number, Value>): Value {
  const known = values.get(t.id);
  if (known) return known;
  const layer = t.sourceLayer as tf.layers.Layer;
  const node = layer.inboundNodes[t.nodeIndex]!;
  const inputs = node.inputTensors.map((i) => emit(g, i, values));
  let outputs: Value[];
  if (layer instanceof tf.LayersModel) {
    outputs = emitNested(g, layer, inputs);
  } else {
    const cls = layer.getClassName();
    const convert = LAYER_CONVERTERS[cls];
    if (!convert) {
      throw new StudioError(
        'UNSUPPORTED',
        `Layer ${quote(layer.name)} of class ${cls} cannot be converted to ONNX (supported: ${supportedLayerClasses().join(', ')}).`,
        {
          layer: layer.name,
          className: cls,
        },
      );
    }
    const config = layer.getConfig() as Record<string, unknown>;
    outputs = [convert({ g, layer, config, inputs, outputShape: t.shape.slice(), hint: layer.name })];
  }
  node.outputTensors.forEach((o, i) => values.set(o.id, outputs[i]!));
  return values.get(t.id)!;
}

/** Inlines a model used as a layer: its inputs bound to `inputs`, its outputs returned. */
function emitNested(g: GraphBuilder, model: tf.LayersModel, inputs: Value[]): Value[] {
  const values = new Map<number, Value>();
  model.inputs.forEach((input, i) => values.set(input.id, inputs[i]!));
  return model.outputs.map((o) => emit(g, o, values));
}

function valueInfo(name: string, shape: (number | null)[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: shape.map((d, i) => (d === null ? { dimParam: i === 0 ? 'N' : `d${i}` } : { dimValue: d })) },
      },
    },
  };
}
