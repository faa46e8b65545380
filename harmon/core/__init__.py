"""Computing: scores, regional measures, the views as data, sensitivity. Never prints or words things."""
