#!/usr/bin/env python3
"""realgen_default.py JSON WANT...: the default entry of "hop bootcfg --json"
(tests/vm/realgen.sh) must be one of WANT, matched against the entry's
id, label and title. Prints the default entry's names; exit 1 (with why)
when there is none or it is another entry.

The JSON is read loosely, so that the check does not depend on details of
the applet's layout: the default is an entry object with "default": true,
or a configuration object whose "default" is an index into its "entries"
or the id/label/title of one of them. Only the first configuration that
names a default counts, as hop boots the first configuration's default.
"""
import json
import sys

NAMES = ("id", "label", "title", "name")


def names(entry):
    return [str(entry[k]) for k in NAMES if isinstance(entry.get(k), str)]


def configs(node):
    """every object in the document, depth first, in order"""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from configs(v)
    elif isinstance(node, list):
        for v in node:
            yield from configs(v)


def default_of(doc):
    for obj in configs(doc):
        d = obj.get("default")
        if d is True:
            return obj
        entries = obj.get("entries")
        if not isinstance(entries, list) or d is None or d is False:
            continue
        if isinstance(d, int) and 0 <= d < len(entries):
            return entries[d]
        if isinstance(d, str):
            for e in entries:
                if isinstance(e, dict) and d in names(e):
                    return e
            return {"id": d}
    return None


def main():
    path, want = sys.argv[1], sys.argv[2:]
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{path}: not JSON: {e}")
        return 1
    entry = default_of(doc)
    if entry is None:
        print(f"{path}: no default entry")
        return 1
    got = names(entry)
    print(" / ".join(got) if got else json.dumps(entry)[:200])
    return 0 if set(got) & set(want) else 1


if __name__ == "__main__":
    sys.exit(main())
