/**
 * Exact decimal arithmetic for comparisons that decide prizes.
 *
 * A cell's number is taken as the decimal it shows at full precision: the shortest decimal that
 * reads back as the same double, which is what `Number.prototype.toString` prints. `0.01` is then
 * exactly one hundredth, not the double nearest to it. Values are `n / 10^scale` with BigInt `n`;
 * rationals are `num / den` with `den > 0`.
 */

export interface Decimal {
  readonly n: bigint;
  readonly scale: number;
}

export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

const POW10: bigint[] = [1n];
export function pow10(k: number): bigint {
  while (POW10.length <= k) POW10.push(POW10[POW10.length - 1] * 10n);
  return POW10[k];
}

/** The shortest decimal of a finite double, exactly. */
export function decimalOf(x: number): Decimal {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  if (Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER) return { n: BigInt(x), scale: 0 };
  const s = String(x);
  if (!s.includes('e')) {
    // The common case, `1234.56`: digits around one point.
    const point = s.indexOf('.');
    if (point < 0) return { n: BigInt(s), scale: 0 };
    return { n: BigInt(s.slice(0, point) + s.slice(point + 1)), scale: s.length - point - 1 };
  }
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (!m) throw new RangeError(`cannot read ${x} as a decimal`);
  const digits = m[2] + (m[3] ?? '');
  let scale = (m[3]?.length ?? 0) - Number(m[4] ?? 0);
  let n = BigInt(digits);
  if (scale < 0) {
    n *= pow10(-scale);
    scale = 0;
  }
  return { n: m[1] ? -n : n, scale };
}

export function ratio(num: Decimal, den: Decimal): Rational {
  // (a / 10^s) / (b / 10^t) = a·10^t / (b·10^s)
  let p = num.n * pow10(den.scale);
  let q = den.n * pow10(num.scale);
  if (q === 0n) throw new RangeError('division by zero');
  if (q < 0n) {
    p = -p;
    q = -q;
  }
  return { num: p, den: q };
}

export function rationalOf(d: Decimal): Rational {
  return { num: d.n, den: pow10(d.scale) };
}

export function compareRational(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function addRational(a: Rational, b: Rational): Rational {
  if (a.den === b.den) return { num: a.num + b.num, den: a.den };
  return { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
}

export function mulRational(a: Rational, b: Rational): Rational {
  return { num: a.num * b.num, den: a.den * b.den };
}

export function minRational(a: Rational, b: Rational): Rational {
  return compareRational(a, b) <= 0 ? a : b;
}

/** Sum of decimals, exactly (aligned to the largest scale). */
export function sumDecimals(values: Iterable<Decimal>): Decimal {
  let n = 0n;
  let scale = 0;
  for (const v of values) {
    if (v.scale > scale) {
      n *= pow10(v.scale - scale);
      scale = v.scale;
    }
    n += v.n * pow10(scale - v.scale);
  }
  return { n, scale };
}

export function compareDecimal(a: Decimal, b: Decimal): -1 | 0 | 1 {
  return compareRational(rationalOf(a), rationalOf(b));
}

/** Round a non-negative rational half-up to `places` decimals; returns the scaled integer. */
export function roundHalfUpScaled(x: Rational, places: number): bigint {
  const p = pow10(places);
  const twice = 2n * x.num * p + x.den;
  const q = twice / (2n * x.den);
  // BigInt division truncates toward zero; floor for negatives.
  return twice < 0n && q * 2n * x.den !== twice ? q - 1n : q;
}

export function rationalToNumber(x: Rational): number {
  // Scale so that the quotient carries ~17 significant digits before converting.
  const neg = x.num < 0n !== x.den < 0n;
  const a = x.num < 0n ? -x.num : x.num;
  const b = x.den < 0n ? -x.den : x.den;
  if (a === 0n) return 0;
  const shift = Math.max(0, 20 + b.toString().length - a.toString().length);
  const q = (a * pow10(shift)) / b;
  const v = Number(q.toString() + 'e-' + shift);
  return neg ? -v : v;
}

export function decimalToString(d: Decimal): string {
  const neg = d.n < 0n;
  let s = (neg ? -d.n : d.n).toString();
  if (d.scale > 0) {
    s = s.padStart(d.scale + 1, '0');
    s = s.slice(0, s.length - d.scale) + '.' + s.slice(s.length - d.scale);
    s = s.replace(/\.?0+$/, '');
  }
  return (neg ? '-' : '') + s;
}
