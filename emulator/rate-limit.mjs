// A leaky bucket per key (Gorgias: per account): each request adds one; the bucket drains at
// capacity / window per second. A request that would overflow it is refused with the number of
// whole seconds after which it would fit.
export function createLeakyBucket({ capacity, windowSeconds }, now) {
  const ratePerMs = capacity / (windowSeconds * 1000);
  const buckets = new Map(); // key -> { level, at }

  return {
    capacity,
    /** @returns {{ok: boolean, level: number, retryAfter?: number}} */
    take(key) {
      const t = now();
      const b = buckets.get(key) ?? { level: 0, at: t };
      b.level = Math.max(0, b.level - (t - b.at) * ratePerMs);
      b.at = t;
      buckets.set(key, b);
      if (b.level + 1 > capacity) {
        const waitMs = (b.level + 1 - capacity) / ratePerMs;
        return { ok: false, level: Math.ceil(b.level), retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) };
      }
      b.level += 1;
      return { ok: true, level: Math.ceil(b.level) };
    },
  };
}
