#!/usr/bin/env bash
# Regenerates the .qsw files sam2seg embeds (ShippedWeights.targets) from the trained float model:
#   models/sam2_mini/sam2_mini.fp32.qsw          sam2seg pack-fp32 (image-path tensors of the checkpoint, FP32 layout)
#   models/sam2_mini/sam2_mini.<bits>.qsw        qsam2 quantize: w8a8-ptq, w4a8-vrc-ptq, w2a4-vrc-lsc recipes
#   models/sam2_mini/sam2_mini.<bits>.quant.json the export's spec beside its .qsw (qsam2 eval --quant reads the pair)
#   specs/quant/sam2_mini.<bits>.quant.json      the same spec: the structure the generator compiles the matching segmenter from
# The calibration and QAT sets are synthetic COCO folders made here with fixed seeds, so a rerun is reproducible.
# Usage: src/QSam2.Segmenter/regenerate-weights.sh [bits...]   (default: w8a8 w4a8 w2a4; fp32 always)
# Environment: CALIB_IMAGES (default 64), TRAIN_IMAGES (default 2000), WORK (default artifacts/regenerate-weights).
set -euo pipefail
cd "$(dirname "$0")/../.."
BITS=("$@")
[ ${#BITS[@]} -eq 0 ] && BITS=(w8a8 w4a8 w2a4)
ARCH=specs/arch/sam2_mini.arch.json
CKPT=${CKPT:-models/sam2_mini/sam2_mini.pt}
WORK=${WORK:-artifacts/regenerate-weights}
# TorchSharp 0.107 scalar-lifetime race (src/QSam2.Training/Quantization/Pipeline/RuntimeAdvice.cs): tier 0 only.
export DOTNET_TC_CallCounting=0 DOTNET_TC_OnStackReplacement=0
[ -f "$CKPT" ] || { echo "regenerate-weights: $CKPT not found (train sam2_mini first)" >&2; exit 2; }

dotnet build src/QSam2.Cli -c Release
dotnet build src/QSam2.Segmenter -c Release
QSAM2=src/QSam2.Cli/bin/Release/net10.0/linux-x64/qsam2
SAM2SEG=src/QSam2.Segmenter/bin/Release/net10.0/sam2seg

"$SAM2SEG" pack-fp32 "$CKPT" --model mini-fp32 -o models/sam2_mini/sam2_mini.fp32.qsw

mkdir -p "$WORK"
[ -d "$WORK/calib" ] || "$QSAM2" data synth -o "$WORK/calib" --count "${CALIB_IMAGES:-64}" --seed 7001
[ -d "$WORK/train" ] || "$QSAM2" data synth -o "$WORK/train" --count "${TRAIN_IMAGES:-2000}" --seed 7002
for bits in "${BITS[@]}"; do
  case $bits in
    w8a8) recipe=specs/recipes/w8a8-ptq.recipe.json ;;
    w4a8) recipe=specs/recipes/w4a8-vrc-ptq.recipe.json ;;
    w2a4) recipe=specs/recipes/w2a4-vrc-lsc.recipe.json ;;
    *) echo "regenerate-weights: no shipped recipe for $bits (w8a8, w4a8, w2a4)" >&2; exit 2 ;;
  esac
  [ -f "$recipe" ] || { echo "regenerate-weights: $recipe not found" >&2; exit 2; }
  "$QSAM2" quantize --arch "$ARCH" --checkpoint "$CKPT" --recipe "$recipe" --calib "$WORK/calib" --data "$WORK/train" \
    --name "sam2_mini.$bits" -o "$WORK/$bits"
  cp "$WORK/$bits/sam2_mini.$bits.qsw" "$WORK/$bits/sam2_mini.$bits.quant.json" "$WORK/$bits/sam2_mini.$bits.report.md" models/sam2_mini/
  cp "$WORK/$bits/sam2_mini.$bits.quant.json" specs/quant/
done
echo "regenerated: models/sam2_mini/*.qsw; rebuild or republish sam2seg to embed them"
