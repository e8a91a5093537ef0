"""How well a trained PRM (a model.safetensors of train.py --task prm) tells right samples from wrong ones, on
PRM rows made by training/make-prm-data.ts from held-out problems (validation seeds 7-9 for choices), so
checkpoints can be compared in PyTorch without exporting them:

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 training/prm-auroc.py --model training/out/prm/model.safetensors \\
      --data training/data/val7-prm.jsonl [--model another.safetensors ...]

A step's score is P("+") / (P("+") + P("-")) after its tag, as ponder's TokenRewardVerifier reads it. Prints
the AUROC of the last-step and the minimum step score for the sample's correctness (overall, within each
level, within each problem), and how well the step scores classify the rows' own step labels (label ≥ 0.5).
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from auroc import auroc, auroc_report, format_report  # noqa: E402
from data import read_examples  # noqa: E402
from train import load_model  # noqa: E402


def step_scores(model, rows, plus, minus, batch=32):
    """Per row, the PRM's score at each tag; rows are run in length-sorted batches."""
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]["ids"]))
    scores = [None] * len(rows)
    with torch.no_grad():
        for start in range(0, len(order), batch):
            part = order[start : start + batch]
            t = max(len(rows[i]["ids"]) for i in part)
            ids = torch.zeros((len(part), t), dtype=torch.long)
            for b, i in enumerate(part):
                ids[b, : len(rows[i]["ids"])] = torch.tensor(rows[i]["ids"])
            logits = model(ids)
            for b, i in enumerate(part):
                at = logits[b, rows[i]["tags"]]
                scores[i] = torch.sigmoid(at[:, plus] - at[:, minus]).tolist()
    return scores


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, action="append", help="model.safetensors of a PRM (repeat to compare)")
    p.add_argument("--data", required=True, help="PRM rows (training/make-prm-data.ts) of held-out problems")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    header, rows = read_examples(args.data)
    rows = [dict(r, problem=r["problemId"]) for r in rows if not r.get("outcomeOnly")]
    right = sum(r["correct"] for r in rows)
    print(f"{args.data}: {len(rows)} solutions, {right} right, {len({r['problem'] for r in rows})} problems")
    for path in args.model:
        model, meta = load_model(path)
        model.eval()
        scores = step_scores(model, rows, header["plus"], header["minus"])
        for r, s in zip(rows, scores):
            r["scores"] = s
        print(f"{path} (step {meta.get('step', '?')}):")
        print(format_report("last-step score", auroc_report(rows, lambda r: r["scores"][-1])))
        print(format_report("minimum step score", auroc_report(rows, lambda r: min(r["scores"]))))
        steps = [(label >= 0.5, s) for r in rows for label, s in zip(r["labels"], r["scores"])]
        pos = [s for ok, s in steps if ok]
        neg = [s for ok, s in steps if not ok]
        print(f"  step scores vs the rows' step labels: AUROC {auroc((a, b) for a in pos[:3000] for b in neg[:3000]):.3f} ({len(pos)} right, {len(neg)} wrong steps; at most 3,000 of each)")


if __name__ == "__main__":
    main()
