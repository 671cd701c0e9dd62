#!/usr/bin/env python3
"""realgen_default.py JSON WANT...: the entry "hop bootcfg --json" says hop
boots (README, "hop bootcfg": the one entry with "boot": true, which is
its configuration's "default" when that names one) must be one of WANT,
matched against its id and title. Prints the entry's id and title; exit 1
(with why) when no entry or more than one is marked, or another is.
"""
import json
import sys


def main():
    path, want = sys.argv[1], sys.argv[2:]
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{path}: not JSON: {e}")
        return 1
    if not isinstance(doc, list):
        print(f"{path}: not an array of configurations")
        return 1
    boots = [(c, e) for c in doc for e in c.get("entries", [])
             if e.get("boot") is True]
    if len(boots) != 1:
        print(f"{path}: {len(boots)} entries marked \"boot\"; want 1")
        return 1
    cfg, entry = boots[0]
    if cfg.get("default") is not None and \
            cfg["entries"][cfg["default"]] is not entry:
        print(f"{path}: \"boot\" is not the configuration's default")
        return 1
    got = [entry.get("id") or "", entry.get("title") or ""]
    print(" / ".join(got))
    return 0 if set(got) & set(want) else 1


if __name__ == "__main__":
    sys.exit(main())
