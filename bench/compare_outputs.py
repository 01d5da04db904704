"""Outputs of a checkout, written down so that two checkouts can be compared (restructurings change no output).

    python bench/compare_outputs.py snapshot OUT_DIR [--synthetic 200] [--seed 0] [--no-neo4j]
    python bench/compare_outputs.py compare BEFORE_DIR AFTER_DIR

`snapshot` builds the seed corpus (../shared/corpus/seeds) and a synthetic corpus (bench/corpus.py N
documents) with the code of the checkout it runs from, and writes for each corpus:

  export.jsonl     `govkg export --format jsonl` (the scored contract), lines sorted
  quads.nq         `govkg export --format nq`, lines sorted
  neo4j.jsonl      every node (labels, properties) and relationship (type, ends, properties) read back from
                   the bundled Bolt server after `load_build`, one JSON object per line, sorted

Nothing is dropped: every value the projections write is a function of the corpus and the code. `compare`
prints a unified diff per file (at most 40 lines each) and exits 1 if any file differs. Run `snapshot` on the commit before a change and
on the commit after, then `compare`.
"""
from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"
FILES = ("export.jsonl", "quads.nq", "neo4j.jsonl")


def govkg(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "govkg.cli", *args], check=True, stdout=subprocess.DEVNULL)


def sorted_lines(path: Path) -> list[str]:
    return sorted(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def neo4j_rows(data_dir: Path, work: Path) -> list[str]:
    from neo4j import GraphDatabase

    from govkg.graph.boltserver import BoltServer
    from govkg.graph.store import current_build
    try:
        from govkg.graph.neo4j_writer import load_build
    except ImportError:  # a checkout from before graph/neo4j.py was split
        from govkg.graph.neo4j import load_build  # type: ignore[no-redef]

    with BoltServer(work / "bolt") as server:
        database = server.new_database("compare")
        with GraphDatabase.driver(server.uri, auth=server.auth) as driver:
            load_build(driver, database, current_build(data_dir))
            with driver.session(database=database) as session:
                nodes = session.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props").data()
                edges = session.run("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS source, b.id AS target, "
                                    "properties(r) AS props").data()
    # properties apart from the labels and ends, so that a property named `source` cannot hide an end
    rows = [json.dumps({"labels": sorted(n["labels"]), "props": n["props"]}, ensure_ascii=False, sort_keys=True)
            for n in nodes]
    rows += [json.dumps({"type": e["type"], "source": e["source"], "target": e["target"], "props": e["props"]},
                        ensure_ascii=False, sort_keys=True) for e in edges]
    return sorted(rows)


def snapshot_corpus(corpus: Path, out: Path, work: Path, with_neo4j: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = work / "data"
    govkg("build", str(corpus), "--out", str(data))
    for name, fmt in (("export.jsonl", "jsonl"), ("quads.nq", "nq")):
        govkg("export", str(data), "--format", fmt, "--output", str(work / name))
        (out / name).write_text("\n".join(sorted_lines(work / name)) + "\n", encoding="utf-8")
    if with_neo4j:
        (out / "neo4j.jsonl").write_text("\n".join(neo4j_rows(data, work)) + "\n", encoding="utf-8")


def snapshot(out: Path, synthetic: int, seed: int, with_neo4j: bool) -> None:
    sys.path.insert(0, str(HERE))
    from corpus import generate

    with tempfile.TemporaryDirectory(prefix="govkg-compare-") as tmp:
        root = Path(tmp)
        snapshot_corpus(SEEDS, out / "seeds", root / "seeds", with_neo4j)
        generate(synthetic, root / "synthetic-corpus", seed)
        snapshot_corpus(root / "synthetic-corpus", out / "synthetic", root / "synthetic", with_neo4j)
    print(f"snapshot of {REPO} written to {out}")


def compare(before: Path, after: Path) -> int:
    differ = 0
    for corpus in ("seeds", "synthetic"):
        for name in FILES:
            a, b = before / corpus / name, after / corpus / name
            if not a.exists() or not b.exists():
                print(f"{corpus}/{name}: missing in {'before' if not a.exists() else 'after'}")
                differ += 1
                continue
            la, lb = a.read_text(encoding="utf-8").splitlines(), b.read_text(encoding="utf-8").splitlines()
            if la == lb:
                print(f"{corpus}/{name}: identical ({len(la)} lines)")
                continue
            differ += 1
            diff = list(difflib.unified_diff(la, lb, f"before/{corpus}/{name}", f"after/{corpus}/{name}", lineterm=""))
            print(f"{corpus}/{name}: DIFFERS ({len(la)} lines before, {len(lb)} after)")
            print("\n".join(diff[:40]))
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot")
    snap.add_argument("out", type=Path)
    snap.add_argument("--synthetic", type=int, default=200)
    snap.add_argument("--seed", type=int, default=0)
    snap.add_argument("--no-neo4j", action="store_true")
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "snapshot":
        snapshot(args.out, args.synthetic, args.seed, not args.no_neo4j)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
