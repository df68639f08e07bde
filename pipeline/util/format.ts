/** Numbers as people read them in reports and messages: 12,345. Built on first use, not at import. */
let counts: Intl.NumberFormat | undefined;

export const formatCount = (n: number): string =>
  (counts ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })).format(n);
