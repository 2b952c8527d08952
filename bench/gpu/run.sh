#!/usr/bin/env bash
# GPU check of the ILGPU backend: the Category=Cuda tests on the GPU, then the sam2.1_hiera_t 1024² image encoder
# timed on the GPU path against the CPU path at FP32 / W8A8 / W4A8 (a markdown table for bench/README.md).
#   bench/gpu/run.sh prepare   where the .NET SDK is: publish a self-contained qsam2-gpubench into bench/gpu/out
#   bench/gpu/run.sh           on the GPU machine (no SDK needed; carry bench/gpu/out): check, then time
# REPS (default 5) sets the timed calls per case; ONLY (e.g. W8A8,W4A8) limits the precisions.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=bench/gpu/out
publish() {
  dotnet publish bench/gpu/QSam2.GpuBench -c Release -p:GpuBenchPublish=true -o "$out" >&2
}
if [[ "${1:-}" == prepare ]]; then publish; ls -la "$out"; exit 0; fi
if command -v dotnet >/dev/null && dotnet --list-sdks 2>/dev/null | grep -q .; then publish; fi
bench="$out/qsam2-gpubench"
[[ -x "$bench" ]] || { echo "missing $bench: run 'bench/gpu/run.sh prepare' where the .NET SDK is, and carry $out" >&2; exit 2; }

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi: not available"
status=0
"$bench" check || status=$?
"$bench" time --reps "${REPS:-5}" ${ONLY:+--only "$ONLY"} || status=$?
exit $status
