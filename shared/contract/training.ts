/** Calls and jobs of the training domain. Filled by the training issue. */
export const trainingContract = {} as const;
