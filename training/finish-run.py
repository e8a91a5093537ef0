"""Finishes a training run that was stopped early (killed after a periodic checkpoint): writes the
summary.json and reference-logits.json that train.py writes at the end, from the run's last saved
model.safetensors and log.jsonl, so training/export-gguf.ts can export the checkpoint.

  /usr/bin/python3 training/finish-run.py --run training/out/policy-large --data training/data/policy.jsonl

The summary records the checkpoint's step (from the safetensors metadata) and the tokens and
seconds of the last log row at or before that step.
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import read_examples  # noqa: E402
from train import load_model, write_run_files  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", required=True, help="training output directory holding model.safetensors and log.jsonl")
    p.add_argument("--data", required=True, help="the run's training data (its first example is the reference input)")
    p.add_argument("--note", default="stopped early at a periodic checkpoint")
    args = p.parse_args()
    torch.set_num_threads(1)
    model, meta = load_model(os.path.join(args.run, "model.safetensors"))
    config = model.config
    step = int(meta.get("step", 0))
    rows = [json.loads(line) for line in open(os.path.join(args.run, "log.jsonl")) if line.strip()]
    rows = [r for r in rows if r["step"] <= step] or rows[:1]
    last = rows[-1]
    header, examples = read_examples(args.data)
    summary = {
        "task": header.get("kind"),
        "config": config.to_json(),
        "parameters": model.parameter_count(),
        "steps": step,
        "examples": len(examples),
        "tokens": last["tokens"],
        "seconds": last["seconds"],
        "final_loss": last["loss"],
        "note": f"{args.note}; tokens, seconds and loss are the last log row's (step {last['step']})",
        "data_header": header,
        "torch": torch.__version__,
    }
    write_run_files(args.run, summary, model, examples[0])
    print(f"{args.run}: step {step}, {summary['parameters']} parameters; wrote summary.json and reference-logits.json")


if __name__ == "__main__":
    main()
