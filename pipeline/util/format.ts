/** Numbers as people read them in reports and messages: 12,345. Built on first use, not at import. */
let counts: Intl.NumberFormat | undefined;

export const formatCount = (n: number): string =>
  (counts ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })).format(n);

/**
 * A list in a message, the first `max` items and how many more: a site of 5,000 pools would otherwise
 * write every pool into one finding (a megabyte of terminal output).
 */
export const listed = (items: readonly unknown[], max = 12): string =>
  items.length <= max
    ? items.join(', ')
    : `${items.slice(0, max).join(', ')} and ${formatCount(items.length - max)} more`;
