import { schemeTableau10 } from 'd3-scale-chromatic';

/** The colour of the i-th optimizer of a list, the same on the map, the cards and the charts. */
export const colourOf = (i: number): string => schemeTableau10[i % schemeTableau10.length]!;
