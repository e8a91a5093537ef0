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
from auroc import auroc_report, format_report  # noqa: E402
from train import load_model  # noqa: E402


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
            tag = header["tag"]
            # Without the tags, and without the newline after the last step, where the policy would end the text.
            ids = [t for t in r["ids"] if t != tag][:-1]
            newline = r["ids"][r["tags"][0] + 1]  # the token after a tag; the prompt is "Q: …", newline, "A:\n"
            question = ids.index(newline)
            start = question + 2
            logp = torch.log_softmax(model(torch.tensor([ids]))[0, :-1], -1)
            tokens = logp[torch.arange(len(ids) - 1), torch.tensor(ids[1:])][start - 1 :].tolist()
            # Each step's tokens: a tag in the PRM row ends a step, and the newline after it is the step's last token here.
            per_step, at = [], start
            for k, t in enumerate(r["tags"]):
                newline_at = t - k  # where the newline after tag k lands once the k + 1 tags up to it are removed
                per_step.append(sum(tokens[at - start : min(newline_at, len(ids) - 1) - start + 1]))
                at = newline_at + 1
            scored.append({"problem": r.get("problemId", tuple(ids[:question])), "level": r["level"], "correct": r["correct"], "sum": sum(tokens), "steps": per_step})

    print(f"{args.model} on {len(scored)} solutions of {args.data}")
    print(format_report("summed log-probability", auroc_report(scored, lambda r: r["sum"])))
    print(format_report("lowest step log-probability", auroc_report(scored, lambda r: min(r["steps"]))))


if __name__ == "__main__":
    main()
