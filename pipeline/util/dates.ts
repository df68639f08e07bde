/**
 * Plan dates as a user writes them: `2027-03-01` (midnight UTC) or an instant `2027-03-01T11:30:00Z`
 * (seconds optional, `Z` or a `±hh:mm` offset). `Date.parse` rolls a day that does not exist into the next
 * month (`2027-02-30` is 2 March), so the calendar is checked here before a date becomes an instant.
 */

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):(\d{2})))?$/;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Days in a month of the Gregorian calendar (month 1-12). */
export const daysInMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Epoch ms of a date or instant, or why it is not one (a sentence fragment: "February 2027 has 28 days"). */
export function parseDate(text: string): { readonly at: number } | { readonly problem: string } {
  const m = SHAPE.exec(text);
  if (!m) return { problem: 'is not a date' };
  const [year, month, day] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
  if (month < 1 || month > 12) return { problem: `is not a date: there is no month ${month}` };
  const days = daysInMonth(year, month);
  if (day < 1 || day > days)
    return { problem: `is not a date: ${MONTHS[month - 1]} ${year} has ${days} days` };
  if (m[4] !== undefined) {
    const [h, min, s, oh, om] = [m[4], m[5], m[6] ?? '0', m[8] ?? '0', m[9] ?? '0'].map(Number) as number[];
    if (h! > 23 || min! > 59 || s! > 59 || oh! > 23 || om! > 59)
      return { problem: 'is not a date: the time of day does not exist' };
  }
  const at = Date.parse(text);
  return Number.isFinite(at) ? { at } : { problem: 'is not a date' };
}
