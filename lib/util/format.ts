/** Numbers as people read them in reports and messages: 12,345. */
const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const formatCount = (n: number): string => counts.format(n);
