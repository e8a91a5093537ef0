"""How well a policy's log-likelihood of a solution tells right samples from wrong ones: the signal a PRM
would need, measured without training one.

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 training/likelihood-auroc.py \
      --model training/out/policy-large-stage3/model.safetensors --data training/data/prm.jsonl

--data is a PRM training file (training/make-prm-data.ts): each row's tokens are the demo PRM text, so the
step tags are dropped to get back the policy's own format. A solution's score is the summed log-probability
of its tokens. Prints the AUROC over all rows, within each level, and within each problem (a problem's right
samples against its wrong ones, where the question cannot help).
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train import load_model  # noqa: E402


def auroc(pairs):
    """Fraction of (right score, wrong score) pairs ordered right > wrong, ties counting half."""
    pairs = list(pairs)
    return sum(1.0 if r > w else 0.5 if r == w else 0.0 for r, w in pairs) / len(pairs) if pairs else float("nan")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="model.safetensors of a policy")
    p.add_argument("--data", required=True, help="PRM rows made by training/make-prm-data.ts")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    model, _ = load_model(args.model)
    model.eval()
    with open(args.data) as f:
        rows = [json.loads(line) for line in f]
    header = next(r["header"] for r in rows if "header" in r)
    rows = [r for r in rows if "header" not in r and not r.get("outcomeOnly")]
    scored = []
    with torch.no_grad():
        for r in rows:
            ids = [t for t in r["ids"] if t != header["tag"]]
            newline = r["ids"][r["tags"][0] + 1]  # the token after a tag; the prompt is "Q: …", newline, "A:\n"
            question = ids.index(newline)
            start = question + 2
            logp = torch.log_softmax(model(torch.tensor([ids]))[0, :-1], -1)
            tokens = logp[torch.arange(len(ids) - 1), torch.tensor(ids[1:])][start - 1 :]
            scored.append((tuple(ids[:question]), r["level"], r["correct"], float(tokens.sum())))

    def split(items):
        right = [s for *_, ok, s in items if ok]
        wrong = [s for *_, ok, s in items if not ok]
        return ((a, b) for a in right for b in wrong)

    print(f"{args.model} on {len(scored)} solutions of {args.data}")
    print(f"  AUROC of the summed log-probability: {auroc(split(scored)):.3f}")
    levels = sorted({level for _, level, _, _ in scored})
    print("  within each level: " + ", ".join(f"L{l} {auroc(split([s for s in scored if s[1] == l])):.2f}" for l in levels))
    problems = {}
    for s in scored:
        problems.setdefault(s[0], []).append(s)
    within = [pair for group in problems.values() for pair in split(group)]
    print(f"  within each problem ({len(within)} right/wrong pairs): {auroc(within):.3f}")


if __name__ == "__main__":
    main()
