"""Serve a scikit-learn pickle over Cairn's JSON-lines model protocol (stdlib + scikit-learn).

    python3 sklearn_predictor.py model.pkl

Announces {"ready": true, "signature": ...} on stdout, then answers each request line
{"id": N, "inputs": [{name, datatype, shape, data}]} with {"id": N, "outputs": [...]}:
`predictions` (one per row) and, for classifiers, `probabilities` (rows x classes).
Inputs: one 2-D tensor [rows, features], or one 1-D tensor per feature column.
Warning: unpickling runs code from the file; serve only models you trust.
"""
import json
import pickle
import sys


def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def datatype_of(values):
    kind = getattr(getattr(values, "dtype", None), "kind", "f")
    if kind == "b":
        return "BOOL"
    if kind in "iu":
        return "INT64"
    if kind == "f":
        return "FP64"
    return "BYTES"


def plain(values):
    out = values.tolist() if hasattr(values, "tolist") else list(values)
    return out


def signature_of(model):
    features = int(getattr(model, "n_features_in_", -1))
    sig = {
        "inputs": [{"name": "input", "datatype": "FP64", "shape": [-1, features]}],
        "outputs": [{"name": "predictions", "datatype": "BYTES", "shape": [-1]}],
    }
    names = getattr(model, "feature_names_in_", None)
    if names is not None:
        sig["columns"] = [str(n) for n in names]
    classes = getattr(model, "classes_", None)
    if classes is not None:
        sig["outputs"][0]["datatype"] = datatype_of(classes)
        sig["labels"] = [str(c) for c in plain(classes)]
        if hasattr(model, "predict_proba"):
            sig["outputs"].append({"name": "probabilities", "datatype": "FP64", "shape": [-1, len(classes)]})
    else:
        sig["outputs"][0]["datatype"] = "FP64"
    return sig


class InputError(Exception):
    pass


def to_matrix(inputs, n_features):
    import numpy as np

    if not inputs:
        raise InputError("no inputs given")
    if len(inputs) == 1:
        t = inputs[0]
        shape = t["shape"]
        if len(shape) == 1:
            shape = [shape[0], 1] if n_features == 1 else [1, shape[0]]
        if len(shape) != 2:
            raise InputError("expected a 2-D input [rows, %d], got shape %s" % (n_features, t["shape"]))
        x = np.asarray(t["data"], dtype=float).reshape(shape)
    else:
        cols = []
        for t in inputs:
            if len(t["shape"]) not in (1, 2) or (len(t["shape"]) == 2 and t["shape"][1] != 1):
                raise InputError("column input '%s' must have shape [rows] or [rows, 1], got %s" % (t["name"], t["shape"]))
            cols.append(np.asarray(t["data"], dtype=float))
        if len({len(c) for c in cols}) != 1:
            raise InputError("column inputs have different row counts")
        x = np.stack(cols, axis=1)
    if n_features >= 0 and x.shape[1] != n_features:
        raise InputError("expected %d features per row, got %d" % (n_features, x.shape[1]))
    return x


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: sklearn_predictor.py MODEL.pkl\n")
        return 2
    with open(sys.argv[1], "rb") as f:
        model = pickle.load(f)
    sig = signature_of(model)
    n_features = sig["inputs"][0]["shape"][1]
    has_proba = len(sig["outputs"]) > 1
    emit({"ready": True, "signature": sig})
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        rid = req.get("id")
        try:
            x = to_matrix(req.get("inputs") or [], n_features)
            pred = model.predict(x)
            outputs = [{"name": "predictions", "datatype": datatype_of(pred), "shape": [len(pred)], "data": plain(pred)}]
            if has_proba:
                proba = model.predict_proba(x)
                outputs.append({"name": "probabilities", "datatype": "FP64", "shape": list(proba.shape), "data": plain(proba.reshape(-1))})
            emit({"id": rid, "outputs": outputs})
        except InputError as e:
            emit({"id": rid, "error": str(e), "input_error": True})
        except (ValueError, TypeError) as e:
            emit({"id": rid, "error": str(e), "input_error": True})
        except Exception as e:  # noqa: BLE001 - report any model failure to the caller
            emit({"id": rid, "error": "%s: %s" % (type(e).__name__, e)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
