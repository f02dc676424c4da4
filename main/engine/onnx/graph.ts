/**
 * An ONNX graph under construction: nodes, initializers and unique names, plus what the converter
 * knows about each value — its layout (rank-4 values are kept NCHW inside the graph; every other
 * value is in Keras's channels-last order) and its Keras (channels-last) shape.
 */
import { onnx, type OnnxTypes } from './proto';

/** `nchw`: a rank-4 value stored as [N, C, H, W] whose Keras shape is [N, H, W, C]. `plain`: Keras order. */
export type Layout = 'nchw' | 'plain';

/** One value of the graph. */
export interface Value {
  name: string;
  layout: Layout;
  /** Keras shape, channels last, batch axis null. */
  shape: (number | null)[];
}

type AttributeValue = number | number[] | string | { float: number };

/** Builds the nodes and initializers of one graph. */
export class GraphBuilder {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly used = new Set<string>();

  /** A name not used yet, from `hint` (characters ONNX tools dislike become `_`). */
  unique(hint: string): string {
    const base = hint.replace(/[^\w./-]/g, '_') || 'v';
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Adds a float32 initializer and returns its name. */
  floats(hint: string, data: Float32Array | number[], dims: number[]): string {
    const name = this.unique(hint);
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    this.initializers.push({
      name,
      dims,
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)),
    });
    return name;
  }

  /** Adds an int64 initializer (shapes, pads, axes) and returns its name. */
  int64s(hint: string, data: number[]): string {
    const name = this.unique(hint);
    const raw = new BigInt64Array(data.map((v) => BigInt(v)));
    this.initializers.push({
      name,
      dims: [data.length],
      dataType: onnx.TensorProto.DataType.INT64,
      rawData: new Uint8Array(raw.buffer),
    });
    return name;
  }

  /**
   * Adds a node and returns the name of its (first) output.
   * @param attributes ints, int lists, strings, or `{ float }` for a float attribute (a bare number is an int).
   */
  node(op: string, inputs: string[], hint: string, attributes: Record<string, AttributeValue> = {}): string {
    const output = this.unique(hint);
    this.nodes.push({
      opType: op,
      input: inputs,
      output: [output],
      name: this.unique(`${hint}/${op}`),
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return output;
  }

  /** The value in Keras (channels-last) order: transposes an NCHW value back to NHWC. */
  toPlain(value: Value, hint: string): Value {
    if (value.layout === 'plain') return value;
    return {
      ...value,
      layout: 'plain',
      name: this.node('Transpose', [value.name], `${hint}_nhwc`, { perm: [0, 2, 3, 1] }),
    };
  }

  /** The value in graph order: transposes a rank-4 channels-last value to NCHW. */
  toGraphOrder(value: Value, hint: string): Value {
    if (value.layout === 'nchw' || value.shape.length !== 4) return value;
    return {
      ...value,
      layout: 'nchw',
      name: this.node('Transpose', [value.name], `${hint}_nchw`, { perm: [0, 3, 1, 2] }),
    };
  }
}

function attribute(name: string, value: AttributeValue): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if (typeof value === 'number') return { name, type: T.INT, i: value };
  return { name, type: T.FLOAT, f: value.float };
}
