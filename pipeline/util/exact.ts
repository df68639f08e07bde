/**
 * Exact, inclusive limit arithmetic. Every rule that compares a quantity with a limit goes through here,
 * so a plan that sits exactly at a limit passes and one smallest unit over fails, whatever binary floating
 * point would have said (42.9 / 14.3 is 2.9999999999999996 in floating point, 3 here).
 *
 * Plan and catalog figures are decimals as written (kW, MW, PUE, counts). Each one is taken at its
 * shortest decimal spelling (the one `String(x)` prints, which is what the YAML said) and turned into an
 * exact fraction of bigints; sums, products and quotients stay exact, and only the final comparison
 * decides a verdict. Numbers are converted back to floating point for display only.
 */

/** An exact rational n / d with d > 0 (not necessarily in lowest terms). */
export interface Ratio {
  readonly n: bigint;
  readonly d: bigint;
}

/** A plain number (read at its shortest decimal spelling) or an exact ratio. */
export type Quantity = number | Ratio;

const isRatio = (x: Quantity): x is Ratio => typeof x !== 'number';

/** The exact value of a finite decimal number, as written ("42.9" → 429 / 10). */
export function exact(x: Quantity): Ratio {
  if (isRatio(x)) return x;
  if (!Number.isFinite(x)) throw new RangeError(`Cannot compare a non-finite quantity (${x}) exactly.`);
  if (Number.isInteger(x) && Number.isSafeInteger(x)) return { n: BigInt(x), d: 1n };
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) throw new RangeError(`Cannot read ${x} as a decimal.`);
  const [, sign, whole, frac = '', exp = '0'] = m;
  const scale = frac.length - Number(exp);
  let n = BigInt(whole + frac);
  let d = 1n;
  if (scale >= 0) d = 10n ** BigInt(scale);
  else n *= 10n ** BigInt(-scale);
  return { n: sign ? -n : n, d };
}

export const add = (a: Quantity, b: Quantity): Ratio => {
  const x = exact(a);
  const y = exact(b);
  return x.d === y.d ? { n: x.n + y.n, d: x.d } : { n: x.n * y.d + y.n * x.d, d: x.d * y.d };
};
export const subtract = (a: Quantity, b: Quantity): Ratio => {
  const y = exact(b);
  return add(a, { n: -y.n, d: y.d });
};
export const multiply = (a: Quantity, b: Quantity): Ratio => {
  const x = exact(a);
  const y = exact(b);
  return { n: x.n * y.n, d: x.d * y.d };
};
export const divide = (a: Quantity, b: Quantity): Ratio => {
  const x = exact(a);
  const y = exact(b);
  if (y.n === 0n) throw new RangeError('Division by zero.');
  return y.n < 0n ? { n: -x.n * y.d, d: x.d * -y.n } : { n: x.n * y.d, d: x.d * y.n };
};
export const sum = (xs: Iterable<Quantity>): Ratio => {
  let total: Ratio = { n: 0n, d: 1n };
  for (const x of xs) total = add(total, x);
  return total;
};

/** -1, 0 or 1 as a is below, equal to or above b, exactly. */
export function compare(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const x = exact(a);
  const y = exact(b);
  const l = x.n * y.d;
  const r = y.n * x.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** The limit is inclusive: a value equal to it fits. */
export const withinLimit = (value: Quantity, limit: Quantity): boolean => compare(value, limit) <= 0;
/** The value is above the (inclusive) limit by any amount, however small. */
export const exceedsLimit = (value: Quantity, limit: Quantity): boolean => compare(value, limit) > 0;
/** The value is below a minimum it must reach (e.g. reserved instances for a pool). */
export const fallsShort = (value: Quantity, minimum: Quantity): boolean => compare(value, minimum) < 0;
/** value > share × limit, e.g. above 90 % of usable power with share 0.9. */
export const aboveShare = (value: Quantity, limit: Quantity, share: Quantity): boolean =>
  compare(value, multiply(limit, share)) > 0;

/** How many whole `per` fit in `capacity` (floor of the exact quotient); 0 when per is not positive. */
export function wholeTimes(capacity: Quantity, per: Quantity): number {
  const c = exact(capacity);
  const p = exact(per);
  if (p.n <= 0n || c.n <= 0n) return 0;
  return Number((c.n * p.d) / (c.d * p.n));
}

/** The nearest floating-point number, for display and for figures that decide no verdict. */
export function toNumber(x: Quantity): number {
  if (!isRatio(x)) return x;
  const whole = x.n / x.d;
  const rest = x.n - whole * x.d;
  return Number(whole) + Number((rest * 1_000_000_000_000n) / x.d) / 1e12;
}
