#!/usr/bin/env bash
# Where a server's memory goes: resident size (and its anonymous part) idle, after ten sign-ins,
# after /healthz and after the client list at 32 connections. For a database seeded by
# bench-seed (bench/run.sh with SEED_ONLY=1 keeps one).
#
#   bench/memory.sh target/release/yorisoi postgres://postgres@127.0.0.1:5432/yorisoi_bench_10x1000
set -u
bin=$1; db=$2
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
work=$(mktemp -d)
YORISOI_LOG=warn "$bin" serve --database "$db" --listen "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 3
rss() { awk '$1 ~ /^(VmRSS|RssAnon|VmHWM):$/ { printf "%s %d MB  ", $1, $2 / 1024 }' "/proc/$pid/status"; echo; }
session() {
  local jar="$work/jar-$1" token
  token=$(curl -fs -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "login=$1" --data-urlencode "password=bench-password-1" --data-urlencode "csrf=$token" "$base/login"
  awk '$6 == "yorisoi_session" { print $7 }' "$jar"
}
echo "idle:                   $(rss)"
for o in 0 1 2 3 4 5 6 7 8 9; do session "bench$o-admin" >/dev/null; done
echo "after 10 sign-ins:      $(rss)"
wrk -t2 -c32 -d5s "$base/healthz" >/dev/null
echo "after /healthz c=32:    $(rss)"
s=$(session bench0-admin)
wrk -t2 -c32 -d5s -H "Cookie: yorisoi_session=$s" "$base/clients" >/dev/null
echo "after client list c=32: $(rss)"
