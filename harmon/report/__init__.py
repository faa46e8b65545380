"""Presenting and writing: formatting, renderers of every view, export shapes, file writers, data package, codebook, figures."""
