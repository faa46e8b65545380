"""Reading and validating dataset files: YAML, file models, loading, weights, completeness."""
