#!/usr/bin/env bash
# Builds the two HTTP codec fuzz targets (requests: the server's parser; responses: the client's) and the
# Weavr JSON reader's (differential against JSONDecoder) with libFuzzer + ASan and runs each on its seed
# corpus for a third of SECONDS.
# Usage: fuzz/run.sh [SECONDS]   (default 60, in total). Exits non-zero on a crash; artifacts go to fuzz/artifacts/.
set -euo pipefail
seconds="${1:-60}"
half=$(( (seconds + 2) / 3 ))
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mkdir -p .build-fuzz fuzz/artifacts
build() {  # build NAME SOURCE
    swiftc -O -sanitize=fuzzer,address -parse-as-library \
        Sources/NIOFreeHTTP/Codec/*.swift fuzz/FuzzCheck.swift "fuzz/$2" \
        -o ".build-fuzz/$1-fuzz" 2> >(grep -v "Cannot export local symbol" >&2)
}
build http-parser HTTPParserFuzz.swift
build http-response HTTPResponseParserFuzz.swift
swiftc -O -sanitize=fuzzer,address -parse-as-library \
    Sources/Upstream/JSON/*.swift Sources/Upstream/Wire/*.swift fuzz/FuzzCheck.swift fuzz/WeavrJSONFuzz.swift \
    -o .build-fuzz/weavr-json-fuzz 2> >(grep -v "Cannot export local symbol" >&2)
# New inputs go to scratch directories, so the checked-in corpora stay small; merge interesting ones by hand
# with: .build-fuzz/http-parser-fuzz -merge=1 fuzz/corpus/http-parser .build-fuzz/corpus-new/http-parser
for target in http-parser http-response weavr-json; do
    dict=fuzz/http.dict; [[ $target == weavr-json ]] && dict=fuzz/json.dict
    mkdir -p ".build-fuzz/corpus-new/$target" "fuzz/corpus/$target"
    ".build-fuzz/$target-fuzz" \
        -max_total_time="$half" \
        -max_len=4096 \
        -artifact_prefix="fuzz/artifacts/$target-" \
        -dict="$dict" \
        ".build-fuzz/corpus-new/$target" "fuzz/corpus/$target"
done
