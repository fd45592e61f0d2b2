"""One cold call of the dashboard's direct path per named case of ``bench/reports.py``, on a
database it filled, compared with the facts of its last refresh. At national scale a direct
view takes seconds, too long for the repeated timings of ``bench/reports.py``.

    .venv/bin/python bench/reports_direct.py --database-url \
        postgres://postgres@127.0.0.1:5432/rantai_bench_reports_1m "this month" province=32 all
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.matching import _setup

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument(
    "--database-url", default="postgres://postgres@127.0.0.1:5432/rantai_bench_reports_1m"
)
parser.add_argument("cases", nargs="+")
args = parser.parse_args()
_setup(args.database_url)
from bench.reports import _cases, _plain  # noqa: E402
from reports import aggregated  # noqa: E402
from reports.dashboard import dashboard  # noqa: E402
from reports.models import DashboardRefresh  # noqa: E402

refresh = DashboardRefresh.objects.order_by("-pk").first()
cases = _cases()
for name in args.cases:
    f = cases[name]
    t0 = time.perf_counter()
    d = dashboard(f)
    dt = time.perf_counter() - t0
    same = _plain(d) == _plain(aggregated.dashboard(f, refresh))
    print(f"{name:36} direct (first call) {dt:.2f} s  identical to facts: {same}", flush=True)
