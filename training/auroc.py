"""AUROC of scores for right vs wrong solutions: over all solutions, within each level, and within each
problem (its right samples against its wrong ones, where the question cannot help). Shared by
training/prm-auroc.py and training/likelihood-auroc.py."""


def auroc(pairs):
    """Fraction of (right score, wrong score) pairs ordered right > wrong, ties counting half."""
    pairs = list(pairs)
    return sum(1.0 if r > w else 0.5 if r == w else 0.0 for r, w in pairs) / len(pairs) if pairs else float("nan")


def right_wrong_pairs(items):
    """(right, wrong) score pairs of (correct, score) items."""
    right = [s for ok, s in items if ok]
    wrong = [s for ok, s in items if not ok]
    return [(a, b) for a in right for b in wrong]


def auroc_report(rows, score):
    """rows: dicts with "problem", "level", "correct"; score(row) -> float. Returns overall, per level and within-problem AUROC."""
    items = [(r, score(r)) for r in rows]
    overall = auroc(right_wrong_pairs([(r["correct"], s) for r, s in items]))
    levels = sorted({r["level"] for r in rows})
    per_level = {l: auroc(right_wrong_pairs([(r["correct"], s) for r, s in items if r["level"] == l])) for l in levels}
    problems, level_of = {}, {}
    for r, s in items:
        problems.setdefault(r["problem"], []).append((r["correct"], s))
        level_of[r["problem"]] = r["level"]
    pairs_of = {key: right_wrong_pairs(group) for key, group in problems.items()}
    within = [p for pairs in pairs_of.values() for p in pairs]
    within_level = {}
    for l in levels:
        pairs = [p for key, ps in pairs_of.items() if level_of[key] == l for p in ps]
        within_level[l] = (auroc(pairs), len(pairs))
    return {"overall": overall, "per_level": per_level, "within": auroc(within), "within_pairs": len(within), "within_level": within_level}


def format_report(name, report):
    levels = " ".join(f"L{l} {a:.2f}" for l, a in report["per_level"].items())
    within_levels = " ".join(f"L{l} {a:.2f}({n})" for l, (a, n) in report["within_level"].items())
    return (
        f"  {name}: AUROC {report['overall']:.3f}; within each problem {report['within']:.3f} ({report['within_pairs']} pairs)\n"
        f"    within each level: {levels}\n    within each problem, per level: {within_levels}"
    )
