import { f, UNDEFINED, UNKNOWN, toFloat, type Value } from "./values.js";

/**
 * Complex arithmetic for answers read with `i` as the imaginary unit (`\sqrt{-1}` is `i`,
 * `(1+i)^2` is `2i`). Floating point only; magnitudes beyond double range are unknown here.
 */
export interface Complex {
  re: number;
  im: number;
}

export function complex(re: number, im: number): Value {
  return { t: "c", re, im };
}

/** A scalar as a complex number; null for matrices, magnitudes and unknowns. */
export function toComplex(v: Value): Complex | null {
  if (v.t === "c") return v;
  if (v.t === "q" || v.t === "f") {
    const x = toFloat(v);
    return Number.isFinite(x) || Number.isNaN(x) ? { re: x, im: 0 } : null;
  }
  return null;
}

export function complexOp(a: Value, b: Value, op: "add" | "mul" | "div"): Value {
  const x = toComplex(a);
  const y = toComplex(b);
  if (!x || !y) return UNKNOWN;
  if (op === "add") return complex(x.re + y.re, x.im + y.im);
  if (op === "mul") return complex(x.re * y.re - x.im * y.im, x.re * y.im + x.im * y.re);
  const d = y.re * y.re + y.im * y.im;
  if (d === 0) return UNDEFINED;
  return complex((x.re * y.re + x.im * y.im) / d, (x.im * y.re - x.re * y.im) / d);
}

/** base^exp: repeated squaring for integer exponents, the principal branch otherwise. */
export function complexPower(base: Value, exp: Value): Value {
  const z = toComplex(base);
  const w = toComplex(exp);
  if (!z || !w) return UNKNOWN;
  if (w.im === 0 && Number.isInteger(w.re) && Math.abs(w.re) <= 1024) {
    let result: Value = complex(1, 0);
    let square: Value = complex(z.re, z.im);
    for (let k = Math.abs(w.re); k > 0; k = Math.floor(k / 2)) {
      if (k % 2 === 1) result = complexOp(result, square, "mul");
      square = complexOp(square, square, "mul");
    }
    return w.re < 0 ? complexOp(complex(1, 0), result, "div") : result;
  }
  if (z.re === 0 && z.im === 0) return w.re > 0 ? f(0) : UNDEFINED;
  return complexExp(complexOp(complexLog(z), complex(w.re, w.im), "mul"));
}

function complexLog(z: Complex): Value {
  return complex(Math.log(Math.hypot(z.re, z.im)), Math.atan2(z.im, z.re));
}

function complexExp(v: Value): Value {
  const z = toComplex(v);
  if (!z) return UNKNOWN;
  const r = Math.exp(z.re);
  return complex(r * Math.cos(z.im), r * Math.sin(z.im));
}

/** Functions of a complex argument; those not listed are unknown here. */
export function complexCall(fn: string, z: Complex): Value {
  switch (fn) {
    case "abs":
      return f(Math.hypot(z.re, z.im));
    case "sqrt":
      return complexPower(complex(z.re, z.im), f(0.5));
    case "exp":
      return complexExp(complex(z.re, z.im));
    case "ln":
      return complexLog(z);
    case "sin":
      return complex(Math.sin(z.re) * Math.cosh(z.im), Math.cos(z.re) * Math.sinh(z.im));
    case "cos":
      return complex(Math.cos(z.re) * Math.cosh(z.im), -Math.sin(z.re) * Math.sinh(z.im));
    default:
      return UNKNOWN;
  }
}
