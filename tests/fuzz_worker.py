"""Reads files built to hurt, one per line on standard input, under a memory bound.

Run by ``tests/test_load_fuzz.py`` in its own process, so that a case that eats memory or
hangs takes down this worker, never the test run. Each line is JSON ``{"name", "kind",
"content" (base64)}``; each answer is JSON ``{"ok", "valid" | "error"}`` on one line.
"""

from __future__ import annotations

import base64
import json
import resource
import sys
import traceback


def main(memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    from cpwb_stats.contract.extracts import validate_file

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        case = json.loads(line)
        try:
            report = validate_file(base64.b64decode(case["content"]), case["name"],
                                   default_zone="Gent", kind=case["kind"])
            answer = {"ok": True, "valid": report.valid,
                      "messages": [p.message("nl") for p in report.errors[:3]]}
        except BaseException:  # noqa: BLE001 - any escape is what the fuzzing looks for
            answer = {"ok": False, "error": traceback.format_exc()}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
