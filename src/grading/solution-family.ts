import type { CompareContext, Rule } from "./compare-context.js";
import { evaluate, freeVariables, walk } from "./evaluate-expression.js";
import type { MathNode } from "./math-node.js";
import { toFloat } from "./values.js";

/** Names that stand for an arbitrary integer in a family of solutions (`x = π/2 + 2kπ`). */
const PARAMETERS = new Set(["k", "n", "m", "j", "l"]);

/** Parameter values enumerated on each side: enough to fill a window many periods wide. */
const SPAN = 120;

/**
 * Two periodic families of solutions, each in one integer parameter, are the same set when
 * their values agree inside a window both cover: `π/2 + 2kπ` and `5π/2 + 2kπ` (an offset
 * shifted by a period), `kπ` and `-nπ`. Only families in π or degrees are read this way: `2n+1`
 * alone is more often the n-th term of a sequence than a set of odd numbers.
 */
export function familiesEqual(gold: MathNode, pred: MathNode, ctx: CompareContext): Rule {
  const g = parameterOf(gold);
  const p = parameterOf(pred);
  if (!g || !p || !periodic(gold) || !periodic(pred)) return null;
  const gValues = values(gold, g, ctx);
  const pValues = values(pred, p, ctx);
  if (gValues.length < 10 || pValues.length < 10) return null;
  const reach = (v: number[]) => Math.min(-v[0]!, v[v.length - 1]!);
  const window = 0.5 * Math.min(reach(gValues), reach(pValues));
  if (!(window > 0)) return null;
  const inside = (v: number[]) => v.filter((x) => Math.abs(x) <= window);
  const a = inside(gValues);
  const b = inside(pValues);
  const tolerance = 1e-9 * Math.max(1, window);
  if (a.length < 3 || a.length !== b.length || a.some((x, i) => Math.abs(x - b[i]!) > tolerance)) return null;
  return `same family of solutions (${g}, ${p} ∈ ℤ)`;
}

function parameterOf(node: MathNode): string | null {
  const vars = [...freeVariables(node)];
  return vars.length === 1 && PARAMETERS.has(vars[0]!) ? vars[0]! : null;
}

function periodic(node: MathNode): boolean {
  let found = false;
  walk(node, (n) => {
    if ((n.kind === "symbol" && n.name === "pi") || n.kind === "degree") found = true;
  });
  return found;
}

/** The family's distinct values for parameter values -SPAN..SPAN, sorted. */
function values(node: MathNode, parameter: string, ctx: CompareContext): number[] {
  const out: number[] = [];
  const env = new Map<string, number>();
  for (let k = -SPAN; k <= SPAN; k++) {
    env.set(parameter, k);
    const x = toFloat(evaluate(node, env, ctx.deadline));
    if (Number.isFinite(x)) out.push(x);
  }
  out.sort((a, b) => a - b);
  return out.filter((x, i) => i === 0 || Math.abs(x - out[i - 1]!) > 1e-12 * Math.max(1, Math.abs(x)));
}
