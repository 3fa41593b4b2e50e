#!/usr/bin/env bash
# sohoa on a Slurm cluster: one array task per shard of the books, then one `sohoa emit`.
#
#   deploy/slurm/submit.sh /shared/scans /shared/out 16     # 16 shards, then emit (both jobs)
# or by hand:
#   sbatch --array=0-15 deploy/slurm/sohoa-array.sh /shared/scans /shared/out
#   sbatch --dependency=afterany:<array job id> deploy/slurm/sohoa-array.sh --emit /shared/out
#
# SCANS and OUT must be on a file system every node sees (NFS, Lustre, GPFS, CephFS): shards
# coordinate through book locks in OUT/shards/locks. A task that is requeued or resubmitted
# takes the same books and finishes what its earlier run did not store. Size: see the README,
# "Running a province" (about 2 CPU seconds and 150 MB per OCR worker per page; one worker per
# CPU).
#
# Environment: SOHOA (the program, default `sohoa` on PATH), SOHOA_SHARDS (N, default the
# array's size), SOHOA_EXISTING (registry file for the final emit's duplicate check),
# SOHOA_TESSDATA / SOHOA_SCHEMAS (model and schemas folders, if not the defaults).
#SBATCH --job-name=sohoa
#SBATCH --cpus-per-task=4
#SBATCH --mem-per-cpu=400M
#SBATCH --time=24:00:00
#SBATCH --output=sohoa-%A_%a.log
#SBATCH --requeue
set -euo pipefail

SOHOA=${SOHOA:-sohoa}
# Tesseract's own OpenMP threads are slower than one engine per core.
export OMP_THREAD_LIMIT=1

if [ "${1:-}" = "--emit" ]; then
    out=${2:?usage: sohoa-array.sh --emit OUT}
    args=(emit "$out")
    if [ -n "${SOHOA_EXISTING:-}" ]; then args+=(--existing "$SOHOA_EXISTING"); fi
    exec "$SOHOA" "${args[@]}"
fi

scans=${1:?usage: sbatch --array=0-N-1 sohoa-array.sh SCANS OUT}
out=${2:?usage: sbatch --array=0-N-1 sohoa-array.sh SCANS OUT}
: "${SLURM_ARRAY_TASK_ID:?not an array task: submit with sbatch --array=0-N-1}"
min=${SLURM_ARRAY_TASK_MIN:-0}
max=${SLURM_ARRAY_TASK_MAX:-$SLURM_ARRAY_TASK_ID}
shards=${SOHOA_SHARDS:-${SLURM_ARRAY_TASK_COUNT:-$((max - min + 1))}}
shard=$((SLURM_ARRAY_TASK_ID - min))
jobs=${SLURM_CPUS_PER_TASK:-$(nproc)}

echo "sohoa shard $shard/$shards of $scans into $out, $jobs worker(s) on $(hostname)"
exec "$SOHOA" run "$scans" --out "$out" --shard "$shard/$shards" --jobs "$jobs" --quiet
