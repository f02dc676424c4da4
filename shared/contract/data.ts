/** Calls and jobs of the data domain. Filled by the data issue. */
export const dataContract = {} as const;
