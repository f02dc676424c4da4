/** TensorFlow's "same" padding as explicit ONNX pads (the odd pixel goes at the end, as TF does). */

/**
 * ONNX `pads` [top, left, bottom, right] for a 2-D window.
 * @param inputSize [H, W] of the input (known sizes only).
 * @param kernel [kh, kw]. @param strides [sh, sw]. @param dilations [dh, dw].
 */
export function samePads(
  inputSize: [number, number],
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number],
): number[] {
  const begin: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < 2; i++) {
    const effective = (kernel[i]! - 1) * dilations[i]! + 1;
    const out = Math.ceil(inputSize[i]! / strides[i]!);
    const total = Math.max((out - 1) * strides[i]! + effective - inputSize[i]!, 0);
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
  }
  return [...begin, ...end];
}

/**
 * The padding attributes of a window op for a Keras `padding` setting: explicit pads when the
 * spatial size is known, else `auto_pad: SAME_UPPER` (the same rule).
 */
export function paddingAttributes(
  padding: unknown,
  inputShape: (number | null)[],
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number] = [1, 1],
): Record<string, number[] | string> {
  if (padding !== 'same') return { pads: [0, 0, 0, 0] };
  const [h, w] = [inputShape[1], inputShape[2]];
  if (typeof h !== 'number' || typeof w !== 'number') return { auto_pad: 'SAME_UPPER' };
  return { pads: samePads([h, w], kernel, strides, dilations) };
}
