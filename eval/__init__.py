"""Stage 5: question-to-clause pairs to metrics, baselines, benchmarks and reports."""
