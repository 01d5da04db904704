"""Benchmark of measure lineage (graph/lineage.py): time and peak memory on 10k, 50k and 100k measures.

    python bench/lineage.py [--sizes 10000,50000,100000] [--seed 0] [--write BENCHMARKS.md]

Synthetic measures (generated here): provincial plans of 40 measures each, whose measures are drawn
from a large vocabulary of governance clauses (verb + object + purpose + optional quantified target),
and city plans that implement them (为贯彻落实: an IMPLEMENTS edge) with 1 in 4 measures copied from
their province's plan the way cities do: numbers changed, 省 -> 市, a clause dropped, added or
reworded. The rest of a city plan is new text. A FactGraph with Plan and Measure nodes, PART_OF
(with evidence) and IMPLEMENTS edges is built, then `lineage_edges(graph)` is timed.

Each size runs in a fresh process (so peak RSS is its own): time of lineage_edges, peak RSS growth
during it (ru_maxrss after minus RSS before), edges found, and recall/precision of DERIVED_FROM
against the copies the generator made. --also-corpus adds a run on bench/corpus.py `measures(n)`
(template-made measures: many near-identical texts, so the number of similar pairs, i.e. the output,
grows quadratically there).

    python bench/lineage.py --cache [--sizes 100000] [--copies DATA --times 1,10] [--write BENCHMARKS.md]

--cache times the LineageCache (incremental builds): per corpus, a cold lineage_edges filling an empty
cache, the cache saved and loaded (size on disk), then a warm lineage_edges with it on the corpus plus
10 new documents, checked equal to a cold run on that corpus. Corpora: the synthetic plans above
(--sizes; the 10 new documents are the next plans the generator makes) and, with --copies DATA, the
merged facts of a `govkg build` of bench/scale.py seed copies (c<k>_<seed name>), repeated --times
times under new copy numbers (as bench/scale.py would name 10x more copies; the 10 new documents are
10 more copies). With --write, a dated subsection is added under "## Lineage".
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    from govkg.graph.factgraph import FactGraph
except ImportError:  # a checkout without the package installed
    sys.path.insert(0, str(ROOT.parent))
    from govkg.graph.factgraph import FactGraph  # type: ignore[no-redef]
from govkg.graph.model import DocumentFacts, Edge, Evidence, Node

PROVINCES = {
    "山东省": ["济南市", "青岛市", "淄博市", "烟台市", "潍坊市", "滨州市"],
    "浙江省": ["杭州市", "宁波市", "温州市", "绍兴市", "湖州市", "嘉兴市"],
    "河南省": ["郑州市", "洛阳市", "开封市", "新乡市", "南阳市", "许昌市"],
    "四川省": ["成都市", "绵阳市", "德阳市", "宜宾市", "南充市", "乐山市"],
    "广东省": ["广州市", "深圳市", "珠海市", "佛山市", "东莞市", "惠州市"],
}
VERBS = ["推进", "加快", "深化", "完善", "健全", "建设", "打造", "优化", "提升", "实施", "推动", "开展", "强化",
         "构建", "探索", "拓展", "统筹", "规范", "创新", "升级", "整合", "迭代", "夯实", "落实", "支持", "培育"]
DOMAINS = ["政务服务", "数据共享", "电子证照", "城市运行", "基层治理", "智慧医疗", "社保经办", "公共信用", "市场监管",
           "应急管理", "生态环境", "交通出行", "教育资源", "养老服务", "文化旅游", "农业农村", "金融服务", "知识产权",
           "人才服务", "不动产登记", "税费征缴", "住房公积金", "公共资源交易", "水利工程", "能源调度", "安全生产",
           "食品安全", "药品监管", "劳动就业", "医疗保障", "住房保障", "消防救援", "气象服务", "自然资源", "海洋渔业",
           "统计监测", "审计监督", "司法行政", "信访工作", "退役军人服务", "残疾人服务", "妇女儿童", "科技创新",
           "工业互联网", "数字乡村", "智慧社区", "智慧园区", "跨境贸易", "营商环境", "政策兑现"]
THINGS = ["平台", "体系", "机制", "系统", "场景", "应用", "标准规范", "支撑能力", "专网", "中心", "专区", "目录",
          "数据库", "一张图", "驾驶舱", "服务端", "综合窗口", "协同机制", "监测预警", "评价制度"]
PURPOSES = ["实现跨部门业务协同", "提升群众办事便利度", "推动数据按需共享", "强化全流程闭环管理", "提高风险识别能力",
            "做到应归尽归", "实现全市域覆盖", "形成可复制可推广的经验", "降低企业制度性交易成本",
            "实现线上线下一体化", "推动业务流程再造", "提升精准治理水平", "增强基层减负实效", "打通数据壁垒",
            "实现一网通办", "推动资源集约共享", "确保系统安全稳定运行", "提升公共服务均等化水平"]
OBJECTS = ["事项", "应用场景", "示范项目", "标杆企业", "数据接口", "服务站点", "智慧社区", "重点项目", "专题库",
           "解决方案", "试点单位", "培训班次"]
UNITS = ["个", "项", "家", "条"]
AGENCIES = ["大数据局", "发展改革委", "财政厅", "公安厅", "民政厅", "卫生健康委", "市场监管局", "交通运输厅", "教育厅",
            "人力资源社会保障厅", "住房城乡建设厅", "农业农村厅", "商务厅", "应急厅", "科技厅", "司法厅"]


def clause(rng: random.Random) -> str:
    text = f"{rng.choice(VERBS)}{rng.choice(DOMAINS)}{rng.choice(THINGS)}"
    r = rng.random()
    if r < 0.35:
        text += f"，{rng.choice(PURPOSES)}"
    elif r < 0.6:
        text += f"，新增{rng.choice(DOMAINS)}{rng.choice(OBJECTS)}{rng.randint(5, 900)}{rng.choice(UNITS)}"
    return text


def measure_text(rng: random.Random) -> str:
    return "，".join(clause(rng) for _ in range(rng.randint(3, 5))) + "。"


def adapt(rng: random.Random, text: str) -> str:
    """A city's version of a provincial measure: other numbers, 省 -> 市, a clause dropped/added/reworded."""
    parts = text.rstrip("。").split("，")
    op = rng.random()
    if op < 0.3 and len(parts) > 3:
        del parts[rng.randrange(len(parts))]
    elif op < 0.6:
        parts.insert(rng.randrange(len(parts) + 1), clause(rng))
    elif op < 0.8:
        k = rng.randrange(len(parts))
        parts[k] = rng.choice(VERBS) + parts[k][2:]
    out = "，".join(parts) + "。"
    out = re.sub(r"\d+", lambda m: str(max(1, int(int(m.group()) * rng.uniform(0.1, 0.5)))), out)
    return out.replace("全省", "全市").replace("省级", "市级")


def unit_clause(rng: random.Random, level: str) -> str:
    lead = rng.sample(AGENCIES, rng.randint(1, 2))
    prefix = "省" if level == "province" else "市"
    names = "、".join(prefix + (a if level == "province" else a.replace("厅", "局")) for a in lead)
    return f"(牵头单位:{names})"


def synthetic_graph(n: int, seed: int = 0) -> tuple[FactGraph, set[tuple[str, str]]]:
    """A fact graph with about n measures, and the (city measure, provincial measure) pairs copied."""
    rng = random.Random(seed)
    graph = FactGraph()
    copies: set[tuple[str, str]] = set()
    provinces = list(PROVINCES)
    count = 0
    doc_no = 0
    year = 2020
    while count < n:
        province = provinces[doc_no % len(provinces)]
        year = 2020 + (doc_no // len(provinces)) % 6
        doc_no += 1
        prov_doc = f"p{doc_no:06d}.txt"
        prov_plan = f"plan:{province}:{province}数字政府建设{year}年工作要点第{doc_no}号"
        prov_texts = [measure_text(rng) for _ in range(min(40, n - count))]
        _add_plan(graph, prov_doc, prov_plan, province, year, prov_texts, "province", rng, None)
        count += len(prov_texts)
        for city in PROVINCES[province][: rng.randint(1, 3)]:
            if count >= n:
                break
            doc_no += 1
            city_doc = f"c{doc_no:06d}.txt"
            city_plan = f"plan:{city}:{city}数字政府建设{year}年工作要点第{doc_no}号"
            texts, sources = [], []
            for _ in range(min(40, n - count)):
                if rng.random() < 0.25:
                    k = rng.randrange(len(prov_texts))
                    texts.append(adapt(rng, prov_texts[k]))
                    sources.append(k)
                else:
                    texts.append(measure_text(rng))
                    sources.append(None)
            _add_plan(graph, city_doc, city_plan, city, year, texts, "city", rng, prov_plan)
            for i, k in enumerate(sources):
                if k is not None:
                    copies.add((f"measure:{city_doc}#{i + 1}", f"measure:{prov_doc}#{k + 1}"))
            count += len(texts)
    return graph, copies


def _add_plan(graph: FactGraph, doc: str, plan: str, jurisdiction: str, year: int, texts: list[str],
              level: str, rng: random.Random, implements: str | None) -> None:
    nodes = [Node(plan, "Plan", plan.split(":")[-1], {"document": doc, "title": plan.split(":")[-1],
                                                      "jurisdiction": jurisdiction, "year": year})]
    edges = []
    original, at = "", 0
    for i, text in enumerate(texts, 1):
        line = f"{i}.{text}{unit_clause(rng, level)}\n"
        start = at + len(f"{i}.")
        mid = f"measure:{doc}#{i}"
        nodes.append(Node(mid, "Measure", f"{i} {text[:40]}", {"document": doc, "number": str(i), "seq": i,
                                                                "text": text}))
        edges.append(Edge(mid, plan, "PART_OF", {}, [Evidence(doc, start, start + len(text), text)]))
        original += line
        at += len(line)
    if implements:
        edges.append(Edge(plan, implements, "IMPLEMENTS", {}, []))
    graph.add(DocumentFacts(doc, nodes, edges))


def _rss_kib() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


def run_one(n: int, seed: int, corpus: bool = False, index: str = "bands") -> dict:
    from govkg.graph.lineage import lineage_edges
    from govkg.graph.similarity import LAST_STATS

    t0 = time.perf_counter()
    if corpus:
        graph, copies = corpus_graph(n, seed)
    else:
        graph, copies = synthetic_graph(n, seed)
    built = time.perf_counter() - t0
    measures = len(graph.of_type("Measure"))
    rss_before = _rss_kib()
    t1, c1 = time.perf_counter(), time.process_time()
    edges = lineage_edges(graph, index=index)
    seconds, cpu = time.perf_counter() - t1, time.process_time() - c1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    derived = {(e.source, e.target) for e in edges if e.type == "DERIVED_FROM"}
    similar = sum(1 for e in edges if e.type == "SIMILAR_TO")
    found = len(derived & copies)
    return {"measures": measures, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
            "us_per_measure": round(1e6 * cpu / measures, 1),
            "peak_rss_growth_mib": round(max(0, peak - rss_before) / 1024, 1), "peak_rss_mib": round(peak / 1024, 1),
            "similar_to": similar, "derived_from": len(derived), "copies": len(copies),
            "recall": round(found / len(copies), 3) if copies else None,
            "precision": round(found / len(derived), 3) if derived and copies else None,
            "lsh_candidates_per_measure": round(LAST_STATS.get("lsh_candidates", 0) / measures, 2),
            "verified_per_measure": round(LAST_STATS.get("verified", 0) / measures, 2),
            "graph_build_seconds": round(built, 2), "index": index,
            "source": "bench/corpus.py measures()" if corpus else "bench/lineage.py"}


def corpus_graph(n: int, seed: int) -> tuple[FactGraph, set]:
    """bench/corpus.py measures(n): every measure in its own one-measure plan (no ground truth here)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus import measures  # type: ignore[import-not-found]

    graph = FactGraph()
    for i, text in enumerate(measures(n, seed)):
        doc = f"m{i:06d}.txt"
        body = re.sub(r"^\d+[.、]", "", text)
        plan = f"plan:山东省:计划{i}"
        graph.add(DocumentFacts(doc, [Node(plan, "Plan", plan, {"jurisdiction": "山东省", "year": 2023}),
                                      Node(f"measure:{doc}#1", "Measure", body[:40], {"document": doc, "text": body})],
                                [Edge(f"measure:{doc}#1", plan, "PART_OF", {}, [Evidence(doc, 0, len(body), body)])]))
    return graph, set()


def copies_documents(data: Path, times: int, extra: int = 0) -> list[DocumentFacts]:
    """The facts of a build of seed copies (bench/scale.py seed_corpus: c<k // 5>_<seed name>), repeated
    `times` times under new copy numbers, plus `extra` more copies (new documents)."""
    from govkg.graph.store import current_build

    build = current_build(data)
    docs = [build.facts(name) for name in build.document_names()]
    per = 1 + max(int(re.match(r"c(\d+)_", d.document).group(1)) for d in docs)
    out = []
    for r in range(times + 1):
        for k, doc in enumerate(docs):
            if r == times and k >= extra:
                break
            if r == 0:
                out.append(doc)
                continue
            name = f"c{int(doc.document[1:6]) + per * r:05d}" + doc.document[6:]
            text = json.dumps(doc.to_dict(), ensure_ascii=False).replace(doc.document, name)
            out.append(DocumentFacts.from_dict(json.loads(text)))
    return out


def run_cache(label: str, old_docs: list[DocumentFacts], new_docs: list[DocumentFacts], cache_path: Path) -> dict:
    """Cold lineage_edges on old_docs (empty cache), save + load the cache, warm lineage_edges on new_docs;
    the warm edges checked against a cold run on new_docs."""
    from govkg.graph.lineage import lineage_edges
    from govkg.graph.similarity import LineageCache

    old, new = FactGraph(keep_documents=False), FactGraph(keep_documents=False)
    for doc in old_docs:
        old.add(doc)
    for doc in new_docs:
        new.add(doc)
    old.out_edges("-"), new.out_edges("-")  # the graphs' edge index, built by the build anyway
    cache = LineageCache()
    t = time.perf_counter()
    lineage_edges(old, cache=cache)
    cold = time.perf_counter() - t
    cold_stats = dict(cache.stats)
    t = time.perf_counter()
    size = cache.save(cache_path)
    saved = time.perf_counter() - t
    t = time.perf_counter()
    cache = LineageCache.load(cache_path)
    loaded = time.perf_counter() - t
    t = time.perf_counter()
    warm_edges = lineage_edges(new, cache=cache)
    warm = time.perf_counter() - t
    warm_stats = dict(cache.stats)
    t = time.perf_counter()
    cold_edges = lineage_edges(new)
    cold_new = time.perf_counter() - t
    same = [e.to_dict() for e in warm_edges] == [e.to_dict() for e in cold_edges]
    return {"corpus": label, "measures": len(old.of_type("Measure")), "measures_after": len(new.of_type("Measure")),
            "documents_added": len({d.document for d in new_docs} - {d.document for d in old_docs}),
            "cold_seconds": round(cold, 2), "warm_seconds": round(warm, 2), "cold_after_seconds": round(cold_new, 2),
            "cache_bytes": size, "save_seconds": round(saved, 2), "load_seconds": round(loaded, 2),
            "distinct_texts": cold_stats["signatures_computed"], "distinct_pairs": cold_stats["pairs_verified"],
            "warm_signatures_computed": warm_stats["signatures_computed"],
            "warm_pairs_verified": warm_stats["pairs_verified"], "edges": len(warm_edges), "same": same}


def cache_markdown(rows: list[dict]) -> str:
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"### LineageCache: cold and warm lineage_edges ({when}, {os.cpu_count()} CPUs, "
             f"Python {sys.version.split()[0]}, load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])})",
             "",
             "`python bench/lineage.py --cache`: `lineage_edges(graph, cache=LineageCache())` on a corpus (cold: every "
             "distinct text's signature and every distinct pair's verification computed), the cache saved and loaded, "
             "then `lineage_edges` with it on the corpus plus new documents (warm: only new texts and pairs computed); "
             "the warm edges are checked equal to a cold run on the same corpus (column 'equal'). Wall times, "
             "one process, on a machine shared with other work.",
             "",
             "| corpus | measures | + documents | cold (s) | warm (s) | cold on the larger corpus (s) | distinct texts | distinct pairs verified | warm: signatures / verifications computed | cache on disk | save / load (s) | edges | equal |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        lines.append(f"| {r['corpus']} | {r['measures']:,} | {r['documents_added']} | {r['cold_seconds']} | "
                     f"{r['warm_seconds']} | {r['cold_after_seconds']} | {r['distinct_texts']:,} | {r['distinct_pairs']:,} | "
                     f"{r['warm_signatures_computed']:,} / {r['warm_pairs_verified']:,} | "
                     f"{r['cache_bytes'] / 2**20:.2f} MiB | {r['save_seconds']} / {r['load_seconds']} | "
                     f"{r['edges']:,} | {'yes' if r['same'] else 'NO'} |")
    return "\n".join(lines) + "\n"


def add_subsection(path: Path, section: str) -> None:
    """Adds section at the end of the '## Lineage' section of path."""
    text = path.read_text(encoding="utf-8")
    start = text.find("## Lineage")
    if start < 0:
        text = text.rstrip("\n") + "\n\n## Lineage\n\n" + section
    else:
        nxt = text.find("\n## ", start + 3)
        at = nxt + 1 if nxt >= 0 else len(text)
        text = text[:at].rstrip("\n") + "\n\n" + section + ("\n" + text[at:] if nxt >= 0 else "")
    path.write_text(text, encoding="utf-8")


def markdown(rows: list[dict], seed: int) -> str:
    lines = [
        "## Lineage",
        "",
        "`python bench/lineage.py` (graph/lineage.py `lineage_edges`: 3-gram MinHash signatures from datasketch,",
        "256 permutations, LSH banding 64 bands x 4 rows on sorted numpy arrays, candidates verified with Jaccard +",
        f"rapidfuzz ratio; seed {seed}; one process per size;",
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}). Synthetic plans: provincial plans of 40 measures and",
        "city plans implementing them, a quarter of whose measures are adapted copies of provincial ones (numbers",
        "changed, 省→市, a clause dropped, added or reworded). Peak memory: growth of the process's peak RSS",
        "during `lineage_edges` (the fact graph itself not counted).",
        "",
        "| measures | CPU time (s) | wall time (s) | CPU µs / measure | peak RSS growth (MiB) | LSH candidates / measure | verified / measure | SIMILAR_TO | DERIVED_FROM | copies made | recall | precision |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r["source"] != "bench/lineage.py" or r["index"] != "bands":
            continue
        lines.append(f"| {r['measures']:,} | {r['cpu_seconds']} | {r['seconds']} | {r['us_per_measure']} | {r['peak_rss_growth_mib']} | "
                     f"{r['lsh_candidates_per_measure']} | {r['verified_per_measure']} | "
                     f"{r['similar_to']:,} | {r['derived_from']:,} | {r['copies']:,} | {r['recall']} | {r['precision']} |")
    base = next((r for r in rows if r["source"] == "bench/lineage.py" and r["index"] == "bands"), None)
    if base:
        growth = ", ".join(f"{r['measures'] // 1000}k: ×{r['cpu_seconds'] / base['cpu_seconds']:.1f} CPU time and "
                           f"×{r['peak_rss_growth_mib'] / max(base['peak_rss_growth_mib'], 0.1):.1f} memory for "
                           f"×{r['measures'] / base['measures']:.0f} measures" for r in rows
                           if r["source"] == "bench/lineage.py" and r["index"] == "bands" and r is not base)
        lines += ["", f"Growth against {base['measures'] // 1000}k: {growth}. Wall time is CPU time stretched by other "
                  "processes sharing the machine; CPU time is the figure to compare. Signatures (about 95 µs per "
                  "measure, the bulk of the work) and verification grow linearly; what grows faster is the number "
                  "of LSH candidates: two unrelated measures of Jaccard 0.1 collide in some band with probability "
                  "0.6 % (3 % at 0.15), so chance candidates grow with n² (the synthetic vocabulary is small: "
                  "unrelated measures share many 3-grams). The vectorised signature estimate drops almost all of "
                  "them before the per-pair verification ('verified' column), so they cost little CPU time."]
    reference = [r for r in rows if r["index"] == "datasketch"]
    if reference:
        lines += ["", "The same measures with datasketch.MinHashLSH (same bands and rows) as the LSH index "
                  "(`--datasketch`): the same edges, more time and memory:", "",
                  "| measures | CPU time (s) | CPU µs / measure | peak RSS growth (MiB) | SIMILAR_TO | DERIVED_FROM |",
                  "|---:|---:|---:|---:|---:|---:|"]
        for r in reference:
            lines.append(f"| {r['measures']:,} | {r['cpu_seconds']} | {r['us_per_measure']} | {r['peak_rss_growth_mib']} | "
                         f"{r['similar_to']:,} | {r['derived_from']:,} |")
    other = [r for r in rows if r["source"] != "bench/lineage.py"]
    if other:
        lines += ["", "On bench/corpus.py `measures(n)` (template-made measures: so many near-identical texts that "
                  "the output itself, the similar pairs, grows quadratically):", ""]
        for r in other:
            lines.append(f"- {r['measures']:,} measures: {r['cpu_seconds']} s CPU, peak RSS growth {r['peak_rss_growth_mib']} MiB, "
                         f"{r['similar_to']:,} SIMILAR_TO pairs")
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmarks\n"
    start = text.find("## Lineage")
    if start >= 0:
        nxt = text.find("\n## ", start + 3)
        text = text[:start] + section + (text[nxt + 1:] if nxt >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", type=Path, help="replace the '## Lineage' section of this markdown file")
    parser.add_argument("--also-corpus", type=int, default=0, metavar="N",
                        help="also time bench/corpus.py measures(N)")
    parser.add_argument("--datasketch", default="", metavar="SIZES",
                        help="also run these sizes with datasketch.MinHashLSH as the LSH index")
    parser.add_argument("--cache", action="store_true", help="time LineageCache: cold and warm lineage_edges")
    parser.add_argument("--copies", type=Path, help="--cache: also the build DATA of bench/scale.py seed copies")
    parser.add_argument("--times", default="1,10", help="--cache --copies: repeat the copies this many times")
    parser.add_argument("--index", default="bands", help=argparse.SUPPRESS)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.seed, args.corpus, args.index)))
        return 0
    if args.cache:
        import tempfile

        rows = []
        with tempfile.TemporaryDirectory() as tmp:
            for times in [int(t) for t in args.times.split(",") if t.strip()] if args.copies else []:
                docs = copies_documents(args.copies, times, extra=10)
                rows.append(run_cache(f"seed copies ({args.copies.name} x {times})", docs[:-10], docs,
                                      Path(tmp) / f"copies{times}.cache"))
                print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
                del docs
            for n in [int(x) for x in args.sizes.split(",") if x.strip()]:
                old_graph, _ = synthetic_graph(n, args.seed)
                new_graph, _ = synthetic_graph(n + 400, args.seed)  # the next plans: 10 documents of 40 measures
                rows.append(run_cache(f"bench/lineage.py synthetic, seed {args.seed}",
                                      list(old_graph.documents.values()), list(new_graph.documents.values()),
                                      Path(tmp) / f"synthetic{n}.cache"))
                print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
        section = cache_markdown(rows)
        print(section)
        if args.write:
            add_subsection(args.write, section)
        return 0
    rows = []
    jobs = [(int(s), False, "bands") for s in args.sizes.split(",") if s.strip()]
    jobs += [(int(s), False, "datasketch") for s in args.datasketch.split(",") if s.strip()]
    if args.also_corpus:
        jobs.append((args.also_corpus, True, "bands"))
    for n, corpus, index in jobs:
        cmd = [sys.executable, __file__, "--one", str(n), "--seed", str(args.seed), "--index", index] + \
              (["--corpus"] if corpus else [])
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        row = json.loads(out.strip().splitlines()[-1])
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    section = markdown(rows, args.seed)
    print(section)
    if args.write:
        write_section(args.write, section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
