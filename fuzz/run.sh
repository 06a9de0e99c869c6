#!/usr/bin/env bash
# Builds the HTTP parser fuzz target with libFuzzer + ASan and runs it on the seed corpus.
# Usage: fuzz/run.sh [SECONDS]   (default 60). Exits non-zero on a crash; artifacts go to fuzz/artifacts/.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mkdir -p .build-fuzz fuzz/artifacts fuzz/corpus/http-parser
swiftc -O -sanitize=fuzzer,address -parse-as-library \
    Sources/NIOFreeHTTP/Codec/*.swift fuzz/HTTPParserFuzz.swift \
    -o .build-fuzz/http-parser-fuzz 2> >(grep -v "Cannot export local symbol" >&2)
# New inputs go to a scratch directory, so the checked-in corpus stays small; merge interesting ones by hand
# with: .build-fuzz/http-parser-fuzz -merge=1 fuzz/corpus/http-parser .build-fuzz/corpus-new
mkdir -p .build-fuzz/corpus-new
exec .build-fuzz/http-parser-fuzz \
    -max_total_time="$seconds" \
    -max_len=4096 \
    -artifact_prefix=fuzz/artifacts/ \
    -dict=fuzz/http.dict \
    .build-fuzz/corpus-new fuzz/corpus/http-parser
