/**
 * Power-envelope arithmetic, pure: usable utility power after redundancy, facility load from IT load and
 * PUE, and headroom. The verdicts (fits, above 90 %) are decided exactly (pipeline/util/exact.ts); the MW
 * numbers are for display.
 */
import {
  aboveShare,
  divide,
  exact,
  exceedsLimit,
  multiply,
  subtract,
  toNumber,
  type Quantity,
  type Ratio,
} from '../util/exact';

export type Redundancy = 'N' | 'N+1' | '2N';

/**
 * Usable utility power (MW, exact) after redundancy. N: every feed carries load. N+1: one of `feeds` equal
 * feeds is spare, so (feeds - 1) / feeds of the utility power is usable. 2N: half is spare.
 */
export function usableUtility(utilityMW: number, redundancy: Redundancy = 'N', feeds = 2): Ratio {
  switch (redundancy) {
    case 'N':
      return exact(utilityMW);
    case 'N+1':
      return feeds <= 1 ? exact(0) : divide(multiply(utilityMW, feeds - 1), feeds);
    case '2N':
      return divide(utilityMW, 2);
  }
}

/** Usable utility power (MW) after redundancy, for display. */
export const usableUtilityMW = (utilityMW: number, redundancy: Redundancy = 'N', feeds = 2): number =>
  toNumber(usableUtility(utilityMW, redundancy, feeds));

/** Facility load (MW, exact) of an IT load (kW) at a PUE. */
export const facilityLoadMW = (itKW: Quantity, pue: number): Ratio => divide(multiply(itKW, pue), 1000);

/** The share of usable power above which the headroom warning fires (90 %). */
export const HEADROOM_SHARE = 0.9;

export interface Envelope {
  readonly itMW: number;
  readonly facilityMW: number;
  readonly usableMW: number;
  /** usableMW - facilityMW; negative when the load does not fit. */
  readonly headroomMW: number;
  /** Facility load as a share of usable power (0..1+). */
  readonly utilization: number;
  /** Facility load ≤ usable power, exactly (inclusive limit). */
  readonly fits: boolean;
  /** Facility load above HEADROOM_SHARE of usable power, exactly. */
  readonly aboveHeadroomShare: boolean;
}

export function envelope(itKW: Quantity, pue: number, usableMW: Quantity): Envelope {
  const facility = facilityLoadMW(itKW, pue);
  const usable = exact(usableMW);
  const usableNum = toNumber(usable);
  const facilityNum = toNumber(facility);
  return {
    itMW: toNumber(divide(itKW, 1000)),
    facilityMW: facilityNum,
    usableMW: usableNum,
    headroomMW: toNumber(subtract(usable, facility)),
    utilization: usableNum > 0 ? facilityNum / usableNum : Number.POSITIVE_INFINITY,
    fits: !exceedsLimit(facility, usable),
    aboveHeadroomShare: aboveShare(facility, usable, HEADROOM_SHARE),
  };
}
