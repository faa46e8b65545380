"""Coding another region: a new dataset folder (`init`) and JSON Schemas for editors (`schemas`)."""
