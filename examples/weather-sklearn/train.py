"""Classifies Seattle's daily weather (drizzle, fog, rain, snow, sun) from precipitation,
temperatures, wind and month with scikit-learn's gradient boosting. Trains on 2012-2013,
validates on 2014, tests on 2015.

It knows nothing about Cairn: it only prints its metrics, and `cairn run` records them
(zero-code capture), along with its params, code state and the model file it writes.

    npx cairn run -- /usr/bin/python3 examples/weather-sklearn/train.py --n-estimators 100 --learning-rate 0.1 --max-depth 3 --seed 1
"""
import argparse
import csv
import json
import math
import os
import pickle

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, f1_score, log_loss

CLASSES = ["drizzle", "fog", "rain", "snow", "sun"]
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "node_modules", "vega-datasets", "data", "seattle-weather.csv")


def load(path):
    splits = {"train": ([], []), "val": ([], []), "test": ([], [])}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            month = int(row["date"][5:7])
            angle = 2 * math.pi * (month - 1) / 12
            x = [float(row["precipitation"]), float(row["temp_max"]), float(row["temp_min"]), float(row["wind"]), math.sin(angle), math.cos(angle)]
            year = row["date"][:4]
            split = "train" if year in ("2012", "2013") else "val" if year == "2014" else "test"
            splits[split][0].append(x)
            splits[split][1].append(CLASSES.index(row["weather"]))
    return {k: (np.array(x), np.array(y)) for k, (x, y) in splits.items()}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n-estimators", type=int, default=100)
    p.add_argument("--learning-rate", type=float, default=0.1)
    p.add_argument("--max-depth", type=int, default=3)
    p.add_argument("--subsample", type=float, default=0.8)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--eval-every", type=int, default=10)
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--out", help="folder to write model.pkl into")
    args = p.parse_args()

    data = load(args.data)
    (xtr, ytr), (xva, yva), (xte, yte) = data["train"], data["val"], data["test"]
    print("training on %d days (2012-2013), validating on %d (2014), testing on %d (2015)" % (len(ytr), len(yva), len(yte)))
    model = GradientBoostingClassifier(n_estimators=args.n_estimators, learning_rate=args.learning_rate, max_depth=args.max_depth,
                                       subsample=args.subsample, random_state=args.seed)
    model.fit(xtr, ytr)

    labels = list(range(len(CLASSES)))
    best = (0.0, 0)
    for i, (ptr, pva) in enumerate(zip(model.staged_predict_proba(xtr), model.staged_predict_proba(xva)), start=1):
        if i % args.eval_every and i != args.n_estimators:
            continue
        va_acc = accuracy_score(yva, pva.argmax(1))
        best = max(best, (va_acc, i))
        # One line per evaluation: `key=value` pairs, the step from `step`.
        print("step=%d train_loss=%.5f val_loss=%.5f val_accuracy=%.4f" % (
            i, log_loss(ytr, ptr, labels=labels), log_loss(yva, pva, labels=labels), va_acc))

    pred = model.predict(xte)
    print("best_val_iteration: %d" % best[1])
    print(json.dumps({"test_accuracy": round(float(accuracy_score(yte, pred)), 6),
                      "test_f1_macro": round(float(f1_score(yte, pred, average="macro", labels=labels, zero_division=0)), 6)}))
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "model.pkl"), "wb") as f:
            pickle.dump(model, f)
        print("model written to %s" % os.path.join(args.out, "model.pkl"))


if __name__ == "__main__":
    main()
