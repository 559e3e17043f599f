// Placeholder until generation; replaced by scripts/generate.sh output.
