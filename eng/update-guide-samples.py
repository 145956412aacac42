#!/usr/bin/env python3
"""Rewrites the code blocks of docs/GUIDE.md from the samples they quote.

In the guide, a line `<!-- sample: PATH#ID -->` is followed by a ```csharp block holding the lines of PATH (relative
to the repository root) between `// <guide:ID>` and `// </guide:ID>`, dedented. This script writes (or rewrites)
every such block; GuideSamplesTests (tests/NetBios.Tests/Samples) fails when one is out of date. Run it after
changing a sample:

    python3 eng/update-guide-samples.py
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "GUIDE.md"
MARKER = re.compile(r"^<!-- sample: (?P<path>[^#\s]+)#(?P<id>[\w-]+) -->$")


def region(path: str, ident: str) -> list[str]:
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    start = [i for i, l in enumerate(lines) if l.strip() == f"// <guide:{ident}>"]
    end = [i for i, l in enumerate(lines) if l.strip() == f"// </guide:{ident}>"]
    if len(start) != 1 or len(end) != 1 or end[0] <= start[0]:
        sys.exit(f"{path}: region {ident} not found exactly once")
    body = lines[start[0] + 1:end[0]]
    indent = min(len(l) - len(l.lstrip(" ")) for l in body if l.strip())
    return [l[indent:] if l.strip() else "" for l in body]


def main() -> None:
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        m = MARKER.match(line)
        if not m:
            continue
        # Drop an existing block right after the marker (blank line, ```csharp … ```).
        j = i
        if j < len(lines) and lines[j] == "" and j + 1 < len(lines) and lines[j + 1] == "```csharp":
            j += 2
            while j < len(lines) and lines[j] != "```":
                j += 1
            i = j + 1
        out += ["", "```csharp", *region(m["path"], m["id"]), "```"]
    GUIDE.write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
