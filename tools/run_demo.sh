#!/usr/bin/env bash
# What `make run` runs inside tools/embedded_pg.py (which sets DATABASE_URL): apply the
# migrations, seed the demo on the first run, serve on 127.0.0.1:$PORT. Arguments go to
# seed_demo (tests/test_embedded_default.py seeds fewer UMKM).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
port=${PORT:-8000}
"$python" manage.py migrate --noinput
"$python" manage.py seed_demo --if-empty "$@"
echo "Rantai is at http://127.0.0.1:$port/  (demo log-ins are printed above; Ctrl-C stops it)"
exec "$python" manage.py runserver "127.0.0.1:$port"
