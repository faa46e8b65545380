"""Figures for a paper: print resolution by default, no provenance footer on request, non-member
years left blank, milestone labels that never overlap, and a dimensions figure where no state
hides behind another."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from typer.testing import CliRunner

import harmon
from harmon.cli import app

# Only the package at collection (pyplot takes a second to import, and every test worker collects
# this file): the tests import pyplot and image when they run.
pytest.importorskip("matplotlib")


def png_size(path):
    return struct.unpack(">II", path.read_bytes()[16:24])


def test_default_dpi_is_print_quality_and_the_footer_can_go(tmp_path):
    with_footer, without = tmp_path / "a.png", tmp_path / "b.png"
    assert CliRunner().invoke(app, ["plot", "--kind", "heatmap", "-o", str(with_footer)]).exit_code == 0
    assert png_size(with_footer) == (2400, 1500)  # 8 x 5 inches at 300 dpi
    small = ["--dpi", "60"]  # the footer's test needs no print quality
    assert CliRunner().invoke(app, ["plot", "--kind", "heatmap", "-o", str(without), "--no-footer", *small]).exit_code == 0
    footer = tmp_path / "c.png"
    assert CliRunner().invoke(app, ["plot", "--kind", "heatmap", "-o", str(footer), *small]).exit_code == 0
    # The footer sits in the bottom 3% of the figure; without it that strip is blank.
    import matplotlib.image as image

    strip = lambda path: image.imread(path)[-int(300 * 0.03):, :, :3]  # noqa: E731
    assert strip(footer).min() < 0.5 and strip(without).min() == 1.0


def test_non_member_years_are_blank(dataset):
    import matplotlib.pyplot as plt

    fig = harmon.figure(dataset, "heatmap", width=8, height=5, dpi=100, footer=False)
    try:
        fig.canvas.draw()
        pixels = np.asarray(fig.canvas.buffer_rgba())[:, :, :3]
    finally:
        plt.close(fig)
    # The heatmap's axes span x 0.2-0.85 and y 0.2-0.88 of the figure: 19 years, 10 states.
    # Cambodia (second row) joined in 1999: its 1997 cell is blank (white); Brunei's 1997 index
    # is 0 (the darkest colour of cividis).
    x = int((0.2 + 0.65 * 0.5 / 19) * 800)
    row = lambda k: int((1 - (0.88 - 0.68 * (k + 0.5) / 10)) * 500)  # noqa: E731
    assert tuple(pixels[row(1), x]) == (255, 255, 255)
    # Off the cell's centre, where an undetermined state-year has its dot (tests/test_bounds.py).
    assert pixels[row(0), x + 8].sum() < 200


def test_trend_milestone_labels_do_not_overlap(dataset):
    import matplotlib.pyplot as plt

    fig = harmon.figure(dataset, "trend", width=6, height=4, dpi=100)
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        (ax,) = fig.axes
        labels = [t for t in ax.texts if t.get_text()]
        boxes = [t.get_window_extent(renderer) for t in labels]
    finally:
        plt.close(fig)
    # One label per year, naming that year's milestones in region.yaml's order (1997 has two: "1, 2").
    numbers: dict[int, list[str]] = {}
    for k, m in enumerate(dataset.region.milestones, 1):
        numbers.setdefault(m.year, []).append(str(k))
    assert [t.get_text() for t in labels] == [", ".join(n) for n in numbers.values()]
    assert any("," in t.get_text() for t in labels)  # the case that used to stack numbers on each other
    for k, a in enumerate(boxes):
        for b in boxes[k + 1:]:
            assert not a.overlaps(b), "two milestone labels overlap"


def test_dimensions_show_every_state_in_every_panel(dataset):
    import matplotlib.pyplot as plt

    fig = harmon.figure(dataset, "dimensions", dpi=100)
    try:
        panels = [ax for ax in fig.axes if ax.images]
        assert len(panels) == len(dataset.model.dimensions) == 4
        for ax in panels:
            assert ax.images[0].get_array().shape == (10, 19)  # a row per state: none hidden behind another
        assert [t.get_text() for t in panels[0].get_yticklabels()][:2] == ["Brunei Darussalam", "Cambodia"]
    finally:
        plt.close(fig)
