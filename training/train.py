"""Trains one demo model on CPU and writes safetensors, a training summary and reference logits.

  nice -n 10 /usr/bin/python3 training/train.py --task lm --preset small --data training/data/policy.jsonl \
      --steps 12000 --out training/out/policy-small

Tasks: `lm` (next-token loss on each example's target, the policy and revision models) and
`prm` (binary cross-entropy of softmax(["+", "-"]) at each step tag against its label: Monte-Carlo, exact or
both; with --lm-weight also a next-token loss on the right steps' tokens).
Reproducible: the seed fixes the initial weights and the order of the data.
"""
import argparse
import hashlib
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import lm_tensors, make_batches, prm_tensors, read_examples  # noqa: E402
from model import Llama, LlamaConfig  # noqa: E402
from safetensors_io import load_safetensors, save_safetensors  # noqa: E402

PRESETS = {
    # policy-small: two layers, so that long chains fail while one-step arithmetic is learned (training/README.md §2).
    "small": dict(dim=96, layers=2, heads=4, ffn_dim=256),
    # The PRM's and the revision model's base: four layers, policy-small's shape until 2026-12-02.
    "base4": dict(dim=80, layers=4, heads=4, ffn_dim=224),
    "large": dict(dim=256, layers=5, heads=8, ffn_dim=704),
}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--task", choices=["lm", "prm"], required=True)
    p.add_argument("--data", required=True, help="JSONL made by a training/make-*-data.ts script")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--preset", choices=sorted(PRESETS), help="model shape (ignored with --init)")
    p.add_argument("--init", help="start from this model.safetensors (fine-tuning)")
    p.add_argument("--vocab-size", type=int, default=0, help="defaults to the data header's vocab_size")
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--batch-tokens", type=int, default=4096, help="padded tokens per batch")
    p.add_argument("--max-len", type=int, default=256)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--min-lr-ratio", type=float, default=0.05)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--weight-decay", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--log-every", type=int, default=50)
    p.add_argument("--save-every", type=int, default=1000)
    p.add_argument("--keep-saves", action="store_true", help="also keep each --save-every checkpoint as step-<n>.safetensors")
    p.add_argument("--lm-weight", type=float, default=0.0, help="--task prm: also a next-token loss on the tokens of steps labelled right, times this weight (rows need a \"start\")")
    p.add_argument("--dense-weight", type=float, default=0.0, help="--task prm: also the \"+\"/\"-\" loss at every token after the prompt (rows with a \"flip\", make-prm-data.ts --dense), times this weight")
    p.add_argument("--add-layers", type=int, default=0, help="with --init: append this many blocks on top, their output projections zero so the model starts as the init")
    p.add_argument("--freeze-base", action="store_true", help="with --add-layers: train only the added blocks and the final norm")
    p.add_argument("--stop-after", type=int, default=0, help="stop after this many steps of the --steps schedule (0: run it all); reproduces a mid-schedule checkpoint")
    return p.parse_args()


def lr_at(step, args):
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = (step - args.warmup) / max(1, args.steps - args.warmup)
    return args.lr * (args.min_lr_ratio + (1 - args.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


def lm_loss(model, batch):
    ids, targets, mask = batch
    logits = model(ids)
    losses = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="none")
    return (losses * mask.reshape(-1)).sum() / mask.sum(), int(mask.sum())


def prm_loss(model, batch, plus, minus, lm_weight=0.0, dense_weight=0.0):
    ids, rows, positions, labels, right_tokens, dense_mask, dense_labels = batch
    logits = model(ids)
    at_tags = logits[rows, positions]
    margin = at_tags[:, plus] - at_tags[:, minus]  # log-odds of "+" under the two-way softmax
    loss = F.binary_cross_entropy_with_logits(margin, labels)
    if dense_weight > 0 and dense_mask.sum() > 0:
        # The same "+"/"-" margin at every token: is the text right so far? Only the margin is trained, so the
        # next-token distribution over the other tokens is left to the LM loss.
        every = F.binary_cross_entropy_with_logits(logits[..., plus] - logits[..., minus], dense_labels, reduction="none")
        loss = loss + dense_weight * (every * dense_mask).sum() / dense_mask.sum()
    mask = right_tokens[:, 1:]
    if lm_weight > 0 and mask.sum() > 0:
        # Next-token loss on the tokens of right steps: the PRM keeps predicting the right result it compares against.
        lm = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1), reduction="none")
        loss = loss + lm_weight * (lm * mask.reshape(-1)).sum() / mask.sum()
    return loss, len(labels)


def save(model, args, path, extra):
    meta = {"config": json.dumps(model.config.to_json()), **extra}
    save_safetensors(path, model.gguf_state(), meta)


def reference_logits(model, example, positions=8):
    """Full-vocabulary logits at a few positions of a fixed input, for the GGUF logits-match test."""
    ids = example["ids"][: model.config.context_length]
    picks = sorted({round(i * (len(ids) - 1) / (positions - 1)) for i in range(positions)})
    model.eval()
    with torch.no_grad():
        logits = model(torch.tensor([ids]))[0]
    return {"ids": ids, "positions": picks, "logits": [[round(float(x), 6) for x in logits[p]] for p in picks]}


def load_model(path):
    """A model and its safetensors metadata from a model.safetensors this script wrote."""
    weights, meta = load_safetensors(path)
    model = Llama(LlamaConfig(**json.loads(meta["config"])))
    model.load_state_dict(weights, strict=True)
    return model, meta


def with_added_layers(model, count, freeze_base):
    """`model` with `count` more blocks on top. Their attention and FFN output projections start at zero, so the
    residual stream, and every output, is unchanged until training moves them: the new blocks can compare what the
    model predicted at each position with the token that came (a PRM's check needs depth above the prediction)."""
    base = model.config
    config = LlamaConfig(**{**base.to_json(), "layers": base.layers + count})
    grown = Llama(config)
    missing, unexpected = grown.load_state_dict(model.state_dict(), strict=False)
    assert not unexpected and all(name.startswith("blk.") and int(name.split(".")[1]) >= base.layers for name in missing), (missing, unexpected)
    for block in grown.blk[base.layers :]:
        torch.nn.init.zeros_(block.attn_output.weight)
        torch.nn.init.zeros_(block.ffn_down.weight)
    if freeze_base:
        for name, p in grown.named_parameters():
            p.requires_grad = name.startswith("blk.") and int(name.split(".")[1]) >= base.layers or name.startswith("output_norm")
    return grown


def write_run_files(out, summary, model, example):
    """summary.json and reference-logits.json, the files training/export-gguf.ts reads beside model.safetensors."""
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    with open(os.path.join(out, "reference-logits.json"), "w") as f:
        json.dump(reference_logits(model, example), f)


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    header, examples = read_examples(args.data)
    with open(args.data, "rb") as f:
        data_sha = hashlib.sha256(f.read()).hexdigest()

    if args.init:
        model, _ = load_model(args.init)
        if args.add_layers > 0:
            model = with_added_layers(model, args.add_layers, args.freeze_base)
        config = model.config
    else:
        if not args.preset:
            sys.exit("give --preset or --init")
        config = LlamaConfig(vocab_size=args.vocab_size or header["vocab_size"], **PRESETS[args.preset])
        model = Llama(config)
    params = model.parameter_count()
    print(f"model: {json.dumps(config.to_json())}, {params} parameters; {len(examples)} examples", flush=True)

    decay = [p for p in model.parameters() if p.dim() >= 2 and p.requires_grad]
    no_decay = [p for p in model.parameters() if p.dim() < 2 and p.requires_grad]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.95)
    )
    to_tensors = prm_tensors if args.task == "prm" else lm_tensors
    plus, minus = header.get("plus"), header.get("minus")

    log = open(os.path.join(args.out, "log.jsonl"), "w")
    started, cpu_started = time.time(), time.process_time()
    step, epoch, tokens, targets_seen, window = 0, 0, 0, 0, []
    model.train()
    last = args.stop_after if 0 < args.stop_after < args.steps else args.steps
    while step < last:
        for indices in make_batches(examples, args.batch_tokens, args.max_len, args.seed, epoch):
            if step >= last:
                break
            batch = to_tensors(examples, indices, args.max_len)
            for group in optimizer.param_groups:
                group["lr"] = lr_at(step, args)
            loss, count = prm_loss(model, batch, plus, minus, args.lm_weight, args.dense_weight) if args.task == "prm" else lm_loss(model, batch)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            step += 1
            tokens += sum(min(len(examples[i]["ids"]), args.max_len) for i in indices)
            targets_seen += count
            window.append(float(loss))
            if step % args.log_every == 0 or step == last:
                elapsed = time.time() - started
                row = {"step": step, "epoch": epoch, "loss": sum(window) / len(window), "lr": lr_at(step - 1, args), "tokens": tokens, "seconds": round(elapsed, 1), "cpu_seconds": round(time.process_time() - cpu_started, 1), "tokens_per_second": round(tokens / elapsed)}
                print(json.dumps(row), flush=True)
                log.write(json.dumps(row) + "\n")
                log.flush()
                window = []
            if step % args.save_every == 0:
                save(model, args, os.path.join(args.out, "model.safetensors"), {"step": step})
                if args.keep_saves:
                    save(model, args, os.path.join(args.out, f"step-{step}.safetensors"), {"step": step})
        epoch += 1

    seconds = time.time() - started
    save(model, args, os.path.join(args.out, "model.safetensors"), {"step": step})
    summary = {
        "task": args.task,
        "config": config.to_json(),
        "parameters": params,
        "steps": step,
        "epochs": round(step / max(1, len(make_batches(examples, args.batch_tokens, args.max_len, args.seed, 0))), 3),
        "examples": len(examples),
        "tokens": tokens,
        "target_tokens_or_labels": targets_seen,
        "seconds": round(seconds, 1),
        # CPU time of this process (all its threads): what the run costs on a machine shared with other jobs.
        "cpu_seconds": round(time.process_time() - cpu_started, 1),
        "final_loss": sum(window) / len(window) if window else row["loss"],
        "args": vars(args),
        "data_sha256": data_sha,
        "data_header": header,
        "torch": torch.__version__,
    }
    write_run_files(args.out, summary, model, examples[0])
    print(f"done: {step} steps, {tokens} tokens in {seconds:.0f} s -> {args.out}", flush=True)


if __name__ == "__main__":
    main()
