/** Number formatting shared by the report renderers. */
import { formatCount } from '../util/format';

const two = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const n = (v: number | undefined): string => (v === undefined ? '—' : formatCount(v));
export const mw = (v: number | undefined): string => (v === undefined ? '—' : `${two.format(v)} MW`);
export const pct = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)} %`;
export const usd = (v: number | undefined): string => (v === undefined ? 'unknown' : `$${two.format(v)}`);
export const signed = (v: number, f: (x: number) => string): string =>
  v > 0 ? `+${f(v)}` : v < 0 ? `−${f(-v)}` : f(0);

/**
 * The cost of a plan in words that never turn an unknown into $0: "$12.00/h", "$12.00/h known + 2 pools
 * with unknown price", or "unknown (2 pools with unknown price)".
 */
export function costText(usdPerHour: number, pricedPools: number, unknownPools: number, per = '/h'): string {
  const unknown = `${unknownPools} pool${unknownPools === 1 ? '' : 's'} with unknown price`;
  if (pricedPools === 0) return unknownPools ? `unknown (${unknown})` : 'none (no hourly-priced pools)';
  return unknownPools ? `${usd(usdPerHour)}${per} known + ${unknown}` : `${usd(usdPerHour)}${per}`;
}
