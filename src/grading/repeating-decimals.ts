/**
 * Repeating decimals written as such become the fractions they are: `0.\overline{3}` and
 * `0.333...` are 1/3, `0.1\overline{6}` is 1/6, `2.\overline{142857}` is 15/7. A decimal cut off
 * by an ellipsis is read as repeating only when its last digits show the period at least twice
 * (`0.1666...`, `0.142857142857...`); otherwise the ellipsis is dropped and the decimal stays.
 */
export function writeRepeatingDecimals(s: string): string {
  if (!s.includes(".")) return s;
  s = s.replace(/(\d*)\.(\d*)\s*\\(?:overline|bar|dot)\s*\{(\d+)\}/g, (_m, int: string, prefix: string, period: string) => fraction(int, prefix, period));
  return s.replace(/(\d*)\.(\d+)\s*(?:\.\.\.|…|\\(?:ldots|cdots|dots)(?![A-Za-z]))/g, (whole, int: string, digits: string) => {
    const found = trailingPeriod(digits);
    return found ? fraction(int, digits.slice(0, found.start), found.period) : `${int}.${digits}`;
  });
}

/** The shortest period repeated at least twice (three times for one digit) at the end of `digits`. */
function trailingPeriod(digits: string): { start: number; period: string } | null {
  for (let p = 1; p <= Math.floor(digits.length / 2) && p <= 12; p++) {
    const period = digits.slice(digits.length - p);
    const repeats = p === 1 ? 3 : 2;
    if (digits.length < p * repeats || !digits.endsWith(period.repeat(repeats))) continue;
    let start = digits.length - p * repeats;
    while (start >= p && digits.slice(start - p, start) === period) start -= p;
    return { start, period };
  }
  return null;
}

/** int.prefix(period) as \frac{n}{d}, reduced. */
function fraction(int: string, prefix: string, period: string): string {
  const a = BigInt(prefix.length);
  const r = BigInt(period.length);
  const den = 10n ** a * (10n ** r - 1n);
  const num = BigInt(int || "0") * den + (BigInt(prefix + period) - BigInt(prefix || "0"));
  let [x, y] = [num, den];
  while (y !== 0n) [x, y] = [y, x % y];
  return `\\frac{${num / x}}{${den / x}}`;
}
