/**
 * Class colours of the map: Okabe & Ito's colour-blind-safe set (Color Universal Design, 2008), then
 * Paul Tol's "muted" scheme for classes 9–17; further classes repeat the sequence. Finding markers use
 * shape as well as colour, so no meaning rests on hue alone.
 */

const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
const TOL_MUTED = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499'];

/** The colour of class number `k` (0-based). On a dark theme, black becomes light grey. */
export function classColour(k: number, dark = false): string {
  const all = [...OKABE_ITO, ...TOL_MUTED];
  const colour = all[((k % all.length) + all.length) % all.length]!;
  return dark && colour === '#000000' ? '#d0d4da' : colour;
}
