/**
 * Orders file names as people number frames: digit runs compare by value, so
 * `frame2.png` comes before `frame10.png`; other text compares by code unit,
 * and equal-valued runs fall back to the shorter (fewer leading zeros) first.
 */
export function naturalCompare(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x === y) continue;
    const xDigits = /^\d/.test(x);
    const yDigits = /^\d/.test(y);
    if (xDigits && yDigits) {
      const xv = BigInt(x);
      const yv = BigInt(y);
      if (xv !== yv) return xv < yv ? -1 : 1;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}
