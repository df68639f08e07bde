/**
 * Power-envelope arithmetic, pure: usable utility power after redundancy, facility load from IT load and
 * PUE, and headroom.
 */
export type Redundancy = 'N' | 'N+1' | '2N';

/**
 * Usable utility power (MW) after redundancy. N: every feed carries load. N+1: one of `feeds` equal feeds
 * is spare, so (feeds - 1) / feeds of the utility power is usable. 2N: half is spare.
 */
export function usableUtilityMW(utilityMW: number, redundancy: Redundancy = 'N', feeds = 2): number {
  switch (redundancy) {
    case 'N':
      return utilityMW;
    case 'N+1':
      return feeds <= 1 ? 0 : (utilityMW * (feeds - 1)) / feeds;
    case '2N':
      return utilityMW / 2;
  }
}

export interface Envelope {
  readonly itMW: number;
  readonly facilityMW: number;
  readonly usableMW: number;
  /** usableMW - facilityMW; negative when the load does not fit. */
  readonly headroomMW: number;
  /** Facility load as a share of usable power (0..1+). */
  readonly utilization: number;
}

export function envelope(itKW: number, pue: number, usableMW: number): Envelope {
  const itMW = itKW / 1000;
  const facilityMW = itMW * pue;
  return {
    itMW,
    facilityMW,
    usableMW,
    headroomMW: usableMW - facilityMW,
    utilization: usableMW > 0 ? facilityMW / usableMW : Number.POSITIVE_INFINITY,
  };
}
