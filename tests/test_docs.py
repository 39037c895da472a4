"""The documented examples are programs that run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_embedding_example_plans_a_large_day_by_parts(tmp_path: Path) -> None:
    """docs/api.md's example, as written but with a short search so the suite stays quick."""
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, flags=re.S)
    assert code is not None
    program = code.group(1).replace("time_limit_s=30", "time_limit_s=8")
    assert "range(2000)" in program
    (tmp_path / "example.py").write_text(program, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(tmp_path / "example.py")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    method, served, _, total = done.stdout.split()
    assert method == "parts" and total == "2000" and int(served) > 0
