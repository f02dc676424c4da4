/** Calls and jobs of the models domain. Filled by the models issue. */
export const modelsContract = {} as const;
