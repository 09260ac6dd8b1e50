// Order statistics for benchmark samples (nearest-rank percentiles on a sorted copy).

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values) => percentile(values, 50);

export function summary(values) {
  return { n: values.length, p10: percentile(values, 10), median: median(values), p90: percentile(values, 90), p99: percentile(values, 99) };
}

export function fmt(n, digits = 0) {
  if (!Number.isFinite(n)) return "–";
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }).replace(/,/g, " ");
}
