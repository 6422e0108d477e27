"""Loaded at start-up by every Python process of a mutation run's tests
(`select_tests.py run` puts this folder first on PYTHONPATH, and test
subprocesses inherit it): proof-record fingerprints read each source file as
committed (`git show HEAD:path`), not as mutated. A mutant is then killed by a
test of what the code does, not by the staleness guard, which flags every edit
by design and is tested on unmutated code (tests/test_proofs.py). Regenerated
query texts are still compared with the recorded ones."""

from __future__ import annotations

import hashlib
import subprocess


def _pin() -> None:
    try:
        from bargaincheck.checkers import proofs
    except ImportError:  # not this project's environment
        return

    def committed_digest(path, mtime_ns):
        relative = path.relative_to(proofs.ROOT).as_posix()
        text = subprocess.run(["git", "show", f"HEAD:{relative}"], cwd=proofs.ROOT,
                              capture_output=True, check=True).stdout
        return hashlib.sha256(text).hexdigest()

    proofs._file_digest = committed_digest


_pin()
