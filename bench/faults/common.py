"""What bench/faults/verdict.py and bench/multi/verdict.py share: reading their
arguments and printing `OK<TAB>MEASURED`, and a few words of the measured text.

bench/multi/verdict.py imports it with bench/faults on sys.path.
"""

import json
import os
import sys


def num(text, default=-1.0):
    try:
        return float(text)
    except (TypeError, ValueError):
        return default


def seconds(text):
    return f"{text} s" if num(text) >= 0 else "never (timeout)"


def yes(flag):
    return "yes" if flag else "no"


def verdict_main(kinds):
    """verdict.py KIND name=VALUE...: calls kinds[KIND](name=VALUE, ...), a VALUE ending in
    .json read as JSON, and prints `1<TAB>MEASURED` (pass) or `0<TAB>MEASURED` (fail);
    a missing measurement fails, saying what was missing."""
    kind = sys.argv[1]
    values = {}
    for arg in sys.argv[2:]:
        name, _, value = arg.partition("=")
        if value.endswith(".json"):
            try:
                with open(value) as f:
                    values[name] = json.load(f)
            except (OSError, ValueError) as e:
                print(f"0\tno measurement ({os.path.basename(value)}: {e.__class__.__name__})")
                return
        else:
            values[name] = value
    try:
        ok, measured = kinds[kind](**values)
    except Exception as e:  # something the row should have measured is not there
        print(f"0\tno measurement ({e.__class__.__name__}: {e})")
        return
    print(f"{1 if ok else 0}\t{measured}")
