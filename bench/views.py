"""Derivation views (graph/derivation_view.py) against today's merge of the stored facts files.

    python bench/views.py DATA [--copies 10] [--work DIR] [--derive]

DATA holds a build (e.g. `govkg build CORPUS --out DATA -j 2` of bench/scale.py `seed_corpus`). For its
N documents, and for N x copies documents made by renaming (each facts file written again with its
document name replaced, so that the ids that name the document are new and the rest are shared, as
in a build of more seed copies), each in a child process of its own (time, peak RSS):
  facts-before  read every facts file (JSON, DocumentFacts.from_dict) and FactGraph.add it, with
              graph/factgraph.py as it was before (commit BEFORE): today's incremental build
  facts       the same with this FactGraph.add
  views       read_views of one pickle file and FactGraph.add every view
  views-json  the same views as one JSON file (json.loads, DocumentFacts.from_dict)
  views-nogc  views, with the cyclic garbage collector off while reading and merging
and, with --derive, derive_edges + totals on both merged graphs, checked equal (to_dict of every edge).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from govkg.build import COUNTED
from govkg.graph.derivation_view import derivation_view, read_views, write_views
from govkg.graph.derive import derive_edges
from govkg.graph.factgraph import FactGraph
from govkg.graph.model import DocumentFacts
from govkg.graph.store import current_build, facts_file


def _facts_paths(folder: Path) -> list[Path]:
    return [Path(line) for line in (folder / "order.txt").read_text(encoding="utf-8").splitlines()]


def prepare(data: Path, copies: int, work: Path) -> list[tuple[Path, int]]:
    """Folders of facts files (order.txt: their paths in corpus order) for N and N x copies documents."""
    build = current_build(data)
    names = build.document_names()
    small = work / f"n{len(names)}"
    small.mkdir(parents=True, exist_ok=True)
    (small / "order.txt").write_text("\n".join(str(facts_file(build.path, n)) for n in names), encoding="utf-8")
    out = [(small, len(names))]
    if copies > 1 and not (work / f"n{len(names) * copies}" / "order.txt").is_file():
        big = work / f"n{len(names) * copies}"
        (big / "facts").mkdir(parents=True, exist_ok=True)
        paths = []
        for k in range(copies):
            for name in names:
                new = f"r{k:02d}{name}"
                text = facts_file(build.path, name).read_text(encoding="utf-8")
                path = big / "facts" / f"{len(paths):06d}.json"
                path.write_text(text.replace(name, new) if k else text, encoding="utf-8")
                paths.append(str(path))
        (big / "order.txt").write_text("\n".join(paths), encoding="utf-8")
    if copies > 1:
        out.append((work / f"n{len(names) * copies}", len(names) * copies))
    for folder, _ in out:  # the views files, made once as a build would (view of each document's facts)
        if (folder / "made.json").is_file():  # made by an earlier run in the same --work
            continue
        t0 = time.perf_counter()
        views = [derivation_view(DocumentFacts.from_dict(json.loads(p.read_text(encoding="utf-8"))))
                 for p in _facts_paths(folder)]
        made = time.perf_counter() - t0
        t0 = time.perf_counter()
        write_views(folder / "views.pickle", views)
        wrote = time.perf_counter() - t0
        t0 = time.perf_counter()
        (folder / "views.json").write_text(json.dumps([v.to_dict() for v in views], ensure_ascii=False),
                                           encoding="utf-8")
        wrote_json = time.perf_counter() - t0
        (folder / "made.json").write_text(json.dumps({"view_s": made, "write_pickle_s": wrote,
                                                      "write_json_s": wrote_json}))
    return out


def _factgraph_at(commit: str):
    """FactGraph as graph/factgraph.py was at a commit (mode facts-before: today's merge)."""
    import importlib.util

    source = subprocess.run(["git", "-C", str(Path(__file__).resolve().parents[1]), "show",
                             f"{commit}:graph/factgraph.py"], check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp(prefix="govkg-factgraph-")) / "factgraph_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("govkg.graph.factgraph_before", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.FactGraph


BEFORE = "cc903b3"  # the commit before graph/derivation_view.py and the cheaper FactGraph.add


def _peak_rss_mb() -> int:
    """VmHWM of this process (ru_maxrss would carry the parent's peak over the exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def run_one(folder: Path, mode: str, derive: bool) -> dict:
    graph_class = _factgraph_at(BEFORE) if mode == "facts-before" else FactGraph
    if mode == "views-nogc":  # the cyclic collector off while reading and merging
        gc.disable()
        mode = "views"
    t0 = time.perf_counter()
    graph = graph_class(keep_documents=False)
    if mode in ("facts", "facts-before"):
        for path in _facts_paths(folder):
            graph.add(DocumentFacts.from_dict(json.loads(path.read_text(encoding="utf-8"))))
        read_s = merge_s = None
    else:
        if mode == "views":
            views = read_views(folder / "views.pickle")
        else:
            views = {d["document"]: DocumentFacts.from_dict(d)
                     for d in json.loads((folder / "views.json").read_text(encoding="utf-8"))}
        read_s = time.perf_counter() - t0
        for view in views.values():
            graph.add(view)
        merge_s = time.perf_counter() - t0 - read_s
    total_s = time.perf_counter() - t0
    out = {"mode": mode + ("" if gc.isenabled() else " (gc off)"), "read_merge_s": round(total_s, 2),
           "read_s": None if read_s is None else round(read_s, 2),
           "merge_s": None if merge_s is None else round(merge_s, 2),
           "totals": {t: len(graph.of_type(t)) for t in COUNTED}}
    if derive:
        t0 = time.perf_counter()
        edges = [e.to_dict() for e in derive_edges(graph)]
        out["derive_s"] = round(time.perf_counter() - t0, 2)
        out["derived"] = len(edges)
        with open(folder / f"derived-{mode}.json", "w", encoding="utf-8") as fh:
            json.dump(edges, fh, ensure_ascii=False)
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path)
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--work", type=Path)
    ap.add_argument("--derive", action="store_true")
    ap.add_argument("--modes", default="facts-before,facts,views,views-json")
    ap.add_argument("--one", nargs=2, metavar=("FOLDER", "MODE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(Path(args.one[0]), args.one[1], args.derive)))
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="govkg-views-"))
    print(f"load {os.getloadavg()[0]:.2f}; work {work}", file=sys.stderr)
    rows = []
    for folder, n in prepare(args.data, args.copies, work):
        made = json.loads((folder / "made.json").read_text())
        sizes = {k: (folder / k).stat().st_size for k in ("views.pickle", "views.json")}
        facts_bytes = sum(p.stat().st_size for p in _facts_paths(folder))
        for mode in args.modes.split(","):
            cmd = [sys.executable, __file__, str(args.data), "--one", str(folder), mode]
            if args.derive and n <= 2000 and mode != "facts-before":
                cmd.append("--derive")
            result = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
            result.update(n=n, facts_mb=round(facts_bytes / 2**20), **{k + "_mb": round(v / 2**20, 1)
                                                                         for k, v in sizes.items()}, **made)
            rows.append(result)
            print(json.dumps(result, ensure_ascii=False), flush=True)
        if args.derive and n <= 2000:
            a, b = ((folder / f"derived-{m}.json").read_text(encoding="utf-8") for m in ("facts", "views"))
            print(f"n={n}: derived edges equal: {a == b}", flush=True)
    print(f"load {os.getloadavg()[0]:.2f}", file=sys.stderr)


if __name__ == "__main__":
    main()
