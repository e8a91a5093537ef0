"""Training examples made by the TypeScript data scripts (token ids from llama.cpp's tokenizer),
batched by length so little compute goes to padding. The order depends only on the seed."""
import json

import numpy as np
import torch


def read_examples(path):
    """Examples of a JSONL file; a line with a "header" key carries the file's metadata."""
    header, examples = {}, []
    with open(path) as f:
        for line in f:
            row = json.loads(line)
            if "header" in row:
                header.update(row["header"])
            else:
                examples.append(row)
    if not examples:
        raise ValueError(f"{path}: no examples")
    return header, examples


def make_batches(examples, batch_tokens, max_len, seed, epoch):
    """Batches of similar-length examples holding at most `batch_tokens` padded tokens each, in a seeded order."""
    rng = np.random.RandomState(seed * 1000 + epoch)
    order = rng.permutation(len(examples))
    lengths = np.array([min(len(examples[i]["ids"]), max_len) for i in order])
    # Sort within chunks of 64 batches' worth so batches stay similar in length but vary between steps.
    chunk = max(1, 64 * batch_tokens // max(1, int(lengths.mean())))
    batches = []
    for c in range(0, len(order), chunk):
        part = order[c : c + chunk]
        part = part[np.argsort(lengths[c : c + chunk], kind="stable")]
        batch, longest = [], 0
        for i in part:
            n = min(len(examples[i]["ids"]), max_len)
            if batch and max(longest, n) * (len(batch) + 1) > batch_tokens:
                batches.append(batch)
                batch, longest = [], 0
            batch.append(int(i))
            longest = max(longest, n)
        if batch:
            batches.append(batch)
    return [batches[i] for i in rng.permutation(len(batches))]


def lm_tensors(examples, indices, max_len):
    """Inputs, next-token targets and a loss mask over targets at or after each example's `start`."""
    rows = [examples[i] for i in indices]
    t = min(max_len, max(len(r["ids"]) for r in rows)) - 1
    ids = torch.zeros((len(rows), t), dtype=torch.long)
    targets = torch.zeros((len(rows), t), dtype=torch.long)
    mask = torch.zeros((len(rows), t))
    for b, r in enumerate(rows):
        seq = r["ids"][: t + 1]
        n = len(seq) - 1
        ids[b, :n] = torch.tensor(seq[:-1])
        targets[b, :n] = torch.tensor(seq[1:])
        mask[b, max(0, r["start"] - 1) : n] = 1
    return ids, targets, mask


def prm_tensors(examples, indices, max_len):
    """Inputs plus (row, position, soft label) for every step tag; a mask of the tokens of steps labelled right
    (≥ 0.5), for an optional next-token loss that keeps the model's arithmetic (rows with a "start"); and token
    labels (rows with a "flip": every token after the prompt is right before the flip and wrong from it on)."""
    rows = [examples[i] for i in indices]
    t = min(max_len, max(len(r["ids"]) for r in rows))
    ids = torch.zeros((len(rows), t), dtype=torch.long)
    right_tokens = torch.zeros((len(rows), t))
    dense_mask = torch.zeros((len(rows), t))
    dense_labels = torch.zeros((len(rows), t))
    where_b, where_t, labels = [], [], []
    for b, r in enumerate(rows):
        seq = r["ids"][:t]
        ids[b, : len(seq)] = torch.tensor(seq)
        begin = r.get("start")
        if "flip" in r and begin is not None:
            dense_mask[b, begin : len(seq)] = 1
            dense_labels[b, begin : min(r["flip"], len(seq))] = 1
        for position, label in zip(r["tags"], r["labels"]):
            if position < t:
                where_b.append(b)
                where_t.append(position)
                labels.append(label)
                if begin is not None and label >= 0.5:
                    right_tokens[b, begin:position] = 1
            begin = position + 2 if begin is not None else None  # the next step starts after the tag and its newline
    return ids, torch.tensor(where_b), torch.tensor(where_t), torch.tensor(labels, dtype=torch.float32), right_tokens, dense_mask, dense_labels
