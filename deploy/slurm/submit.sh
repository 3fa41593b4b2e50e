#!/usr/bin/env bash
# Submits a province's books as a Slurm job array of N shards and the final emit after it.
#
#   deploy/slurm/submit.sh SCANS OUT N [extra sbatch options for the array...]
#   SOHOA_EXISTING=/shared/registry.csv deploy/slurm/submit.sh /shared/scans /shared/out 32
# SOHOA_EMIT_MEM_PER_CPU sets the emit job's memory per CPU (2 CPUs; default 2G: linking 100,000
# entries against a registry of a million records took 0.5 GB, README "Deduplication").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scans=${1:?usage: submit.sh SCANS OUT N}
out=${2:?usage: submit.sh SCANS OUT N}
n=${3:?usage: submit.sh SCANS OUT N}
shift 3
array=$(sbatch --parsable --array="0-$((n - 1))" "$@" "$here/sohoa-array.sh" "$scans" "$out")
array=${array%%;*}
# afterany: shards with failed pages still end; emit names any book left incomplete.
emit=$(sbatch --parsable --job-name=sohoa-emit --cpus-per-task=2 --mem-per-cpu="${SOHOA_EMIT_MEM_PER_CPU:-2G}" --output=sohoa-emit-%j.log \
    --dependency="afterany:$array" "$here/sohoa-array.sh" --emit "$out")
echo "array job $array ($n shards), emit job ${emit%%;*}"
