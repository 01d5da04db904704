"""The package as a user installs it: the wheel built from the checkout, installed into a fresh virtual
environment (its dependencies taken from the test environment's site-packages, not from the checkout),
builds a corpus, serves the explorer with its JavaScript libraries, and runs a bundled research query."""
from __future__ import annotations

import os
import site
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from govkg.graph.boltserver import free_port

REPO = Path(__file__).resolve().parents[1]
PLAN = """滨州市数字强市建设2023年工作要点
一、夯实数字底座
1.完善政务云平台,提升云原生服务能力。(牵头单位:市大数据局)
2.依托“爱山东”平台,推动高频事项掌上办理。(牵头单位:市行政审批服务局)
"""

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    root = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(root / "dist"), str(REPO)], check=True, cwd=root)
    wheel = next((root / "dist").glob("govkg-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)
    venv_python = root / "venv" / "bin" / "python"
    # the dependencies: this environment's site-packages as a plain path (its .pth files, among them
    # the editable install of the checkout, are not processed), so only the wheel provides govkg
    purelib = subprocess.run([str(venv_python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "test-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run([str(venv_python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True)
    return wheel, root, venv_python


def test_the_wheel_holds_what_it_serves(installed):
    wheel, _, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("govkg/api/static/vendor/cytoscape.min.js", "govkg/api/static/vendor/echarts.min.js",
                   "govkg/api/static/vendor/LICENSE.cytoscape", "govkg/queries/agency_platforms.rq",
                   "govkg/queries/agency_platforms.cypher", "govkg/ontology/govkg.ttl",
                   "govkg/loaders/data/platform_brands.tsv",
                   # /docs and /redoc (api/docs.py)
                   "govkg/api/static/vendor/swagger-ui/swagger-ui-bundle.js",
                   "govkg/api/static/vendor/swagger-ui/swagger-ui.css", "govkg/api/static/vendor/swagger-ui/LICENSE",
                   "govkg/api/static/vendor/redoc/redoc.standalone.js", "govkg/api/static/vendor/redoc/LICENSE"):
        assert needed in names, needed


def test_installed_package_builds_serves_and_queries(installed, browser, tmp_path):
    _, root, venv_python = installed
    govkg = root / "venv" / "bin" / "govkg"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text(PLAN, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run([str(venv_python), "-c", "import govkg, govkg.graph.named_queries as r; print(govkg.__file__); "
                            "print(r.QUERIES_DIR)"], check=True, capture_output=True, text=True, env=env,
                           cwd=tmp_path).stdout.split()
    assert all(str(root / "venv") in w for w in where), where  # the installed copy, not the checkout
    subprocess.run([str(govkg), "build", str(corpus), "--out", str(tmp_path / "data")], check=True, env=env,
                   cwd=tmp_path, capture_output=True)
    rows = subprocess.run([str(venv_python), "-c", "from govkg.graph.store import current_build; "
                           "from govkg.graph.named_queries import run_query_file; import sys; from pathlib import Path; "
                           "rows = run_query_file(current_build(Path(sys.argv[1])), 'agency_platforms'); "
                           "print(sorted({(r['agencyName'], r['platformName'], r['how']) for r in rows}))",
                           str(tmp_path / "data")], check=True, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "('滨州市大数据局', '滨州市政务云', 'OWNS')" in rows.stdout
    port = free_port()
    server = subprocess.Popen([str(govkg), "serve", str(tmp_path / "data"), "--port", str(port)], env=env,
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(url + "/api/meta", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "/")
        page.wait_for_selector("body[data-ready=true]")
        assert page.evaluate("typeof cytoscape") == "function" and page.evaluate("typeof echarts") == "object"
        assert errors == []
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
