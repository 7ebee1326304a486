"""Child process that extracts one file: `python -m policyqa.corpus.formats.worker KIND NAME LIMITS_JSON`
with the file's bytes on stdin; prints one JSON object (an Extracted, or {"error": message}).

Runs under an address-space limit; the parent enforces the wall-time limit and kills it after.
"""
from __future__ import annotations

import json
import resource
import sys


def main() -> int:
    kind, name, limits_json = sys.argv[1], sys.argv[2], sys.argv[3]
    from policyqa.corpus.errors import PolicyQAError
    from policyqa.corpus.formats import extract_bytes
    from policyqa.corpus.limits import FileLimits

    limits = FileLimits.from_dict(json.loads(limits_json))
    data = sys.stdin.buffer.read()
    resource.setrlimit(resource.RLIMIT_AS, (limits.extract_memory_bytes, limits.extract_memory_bytes))
    try:
        out = extract_bytes(data, name, limits, kind)  # type: ignore[arg-type]
        payload = out.to_dict()
    except PolicyQAError as exc:
        payload = {"error": str(exc)}
    except MemoryError:
        payload = {"error": f"{name}: reading it needs more than {limits.extract_memory_bytes // 1_000_000} MB of "
                            "memory (limit); the file may be damaged or built to exhaust readers"}
    except RecursionError:
        payload = {"error": f"{name}: is nested too deeply to read; the file may be damaged"}
    except Exception as exc:  # a parser tripping on a hostile file: a message, never a traceback
        payload = {"error": f"{name}: the {kind} reader cannot read it ({type(exc).__name__}: {str(exc)[:120]}); "
                            "the file may be damaged; save or export it again"}
    sys.stdout.write(json.dumps(payload, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
