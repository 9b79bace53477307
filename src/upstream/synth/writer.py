"""Writing tables (CSV in the source's encoding and delimiter, or Parquet) and the manifest."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from upstream.errors import InputError, make_user_folder
from upstream.synth.extracts.contracts import Contract

MANIFEST = "manifest.json"
MARKER = ".upstream-synth"  # written first, so a half-written city can be replaced too


def check_out_dir(out: Path) -> None:
    """Refuse a file, or a non-empty directory that synth did not make."""
    if out.exists() and not out.is_dir():
        raise InputError("is a file; give a directory for the city", where=str(out))
    made_by_synth = (out / MANIFEST).is_file() or (out / MARKER).is_file()
    if out.is_dir() and any(out.iterdir()) and not made_by_synth:
        raise InputError(
            "is not empty and was not made by `upstream synth`; choose another --out",
            where=str(out),
        )


def prepare_out_dir(out: Path) -> None:
    """Check the folder, then clear what an earlier run of synth left in it."""
    check_out_dir(out)
    if out.is_dir():
        for child in ("truth", "extracts", MANIFEST):
            path = out / child
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    make_user_folder(out, what="city")
    (out / MARKER).write_text("made by upstream synth\n", encoding="utf-8")
    (out / "truth").mkdir(parents=True, exist_ok=True)
    (out / "extracts").mkdir(parents=True, exist_ok=True)


def write_parquet(table: pa.Table, path: Path) -> None:
    # No statistics timestamps or created_by variance: same input, same bytes.
    pq.write_table(table, path, compression="zstd", write_statistics=True)


def write_csv(table: pa.Table, path: Path, encoding: str, delimiter: str) -> None:
    options = pcsv.WriteOptions(delimiter=delimiter, quoting_style="needed")
    if encoding == "utf-8":
        pcsv.write_csv(table, path, options)
        return
    buffer = io.BytesIO()
    pcsv.write_csv(table, buffer, options)
    # Legacy systems export in Windows-1252; characters it cannot hold become "?".
    path.write_bytes(buffer.getvalue().decode("utf-8").encode(encoding, errors="replace"))


def write_extract(table: pa.Table, contract: Contract, folder: Path) -> Path:
    path = folder / contract.file
    if contract.format == "parquet":
        write_parquet(table, path)
    else:
        write_csv(table, path, contract.encoding, contract.delimiter)
    return path


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_entry(path: Path, root: Path, rows: int, kind: str, **extra: str) -> dict[str, object]:
    return {
        "path": str(path.relative_to(root)),
        "kind": kind,
        "rows": rows,
        "sha256": sha256(path),
        **extra,
    }


def write_manifest(out: Path, manifest: dict[str, object]) -> None:
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
