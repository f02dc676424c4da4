/** The six steps of the studio, in order. Each has a component under renderer/src/steps/. */
export const STEP_IDS = ['data', 'base', 'head', 'train', 'evaluate', 'export'] as const;
export type StepId = (typeof STEP_IDS)[number];

export interface StepInfo {
  id: StepId;
  /** Short label for the step rail. */
  title: string;
  /** One line under the label: what the step is for. */
  summary: string;
}

export const STEPS: readonly StepInfo[] = [
  { id: 'data', title: 'Data', summary: 'Folders of images, one per class' },
  { id: 'base', title: 'Base', summary: 'A pretrained network to reuse' },
  { id: 'head', title: 'Head', summary: 'The small classifier on top' },
  { id: 'train', title: 'Train', summary: 'Fit the head, then fine-tune' },
  { id: 'evaluate', title: 'Evaluate', summary: 'Accuracy, confusions, mistakes' },
  { id: 'export', title: 'Export', summary: 'TF.js, Teachable Machine, ONNX' },
];
