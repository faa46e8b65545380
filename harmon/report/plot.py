"""Figures for papers and slides (matplotlib, imported only when a figure is drawn).

`plot(dataset, kind, output, ...)` writes one figure: `heatmap` (states x years coloured by index,
unknown hatched grey, undetermined dotted), `trend` (the regional mean, the band of its range and dyadic harmonization, with
the regional milestones marked), `dimensions` (small multiples: each dimension's score per state
and the regional mean) or `adoption` (the cumulative adoption curve of each indicator, with the
regional milestones marked). Colours are colour-blind safe (cividis; the Okabe-Ito palette), and every
figure carries a caption with the data version and the options that made it. The file has exactly
the requested size: `width` x `height` inches at `dpi`. `rank_intervals` draws the rank intervals
of a sensitivity analysis.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import numpy as np

from harmon import __version__
from harmon.choices import PLOT_DPI, PLOT_FORMATS, PLOT_KINDS, check_choice
from harmon.core.adoption import AdoptionReport, adoption_report
from harmon.core.trend import trend
from harmon.data.loading import Dataset
from harmon.errors import BadValue, InvalidOption, PlotUnavailable
from harmon.files import atomic_write, check_new
from harmon.report.paper import dimension_header

if TYPE_CHECKING:
    from harmon.core.sensitivity import SensitivityResult

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
             "#999999", "#882255"]
DPI = PLOT_DPI
LINESTYLES = ["-", "--", "-.", ":"]
UNKNOWN_GREY = "#dddddd"
# Bounds on a figure's size: below an inch nothing fits; the pixel budget keeps the raster (4 bytes
# a pixel) near 256 MB (8 x 5 inches at 1200 dpi is 58 million pixels).
MIN_INCHES, MAX_INCHES = 1.0, 100.0
MAX_PIXELS = 64_000_000


def mpl_text(text: str) -> str:
    """`text` as matplotlib shows it literally: a `$` in the data must not start mathtext (which
    would typeset it, or fail on what it cannot parse)."""
    return text.replace("$", r"\$")


def _pyplot():
    try:
        import matplotlib
    except ImportError:  # pragma: no cover - depends on the environment
        raise PlotUnavailable() from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def plot(
    dataset: Dataset,
    kind: str,
    output: Path | str,
    missing: str = "reweight",
    first: int | None = None,
    last: int | None = None,
    width: float = 8.0,
    height: float = 5.0,
    dpi: int = DPI,
    adopted_at: float | None = None,
    footer: bool = True,
    force: bool = False,
) -> Path:
    """Draw figure `kind` and write it to `output` (.png, .svg or .pdf); return the path.
    `adopted_at` is the adoption threshold of `adoption` (None: any level above 0). With `footer`,
    a line at the bottom records the data version and the options (provenance). An existing file
    is replaced only with `force` (`harmon.files.atomic_write`)."""
    output = check_output(output, width, height, dpi, force, dataset.data_paths)
    fig = figure(dataset, kind, missing, first, last, width, height, dpi, adopted_at, footer)
    return _save(fig, output, dpi, force, dataset.data_paths)


def figure(
    dataset: Dataset, kind: str, missing: str = "reweight", first: int | None = None, last: int | None = None,
    width: float = 8.0, height: float = 5.0, dpi: int = DPI, adopted_at: float | None = None, footer: bool = True,
):
    """The matplotlib Figure of `kind`, drawn and not saved (to adjust before saving it; close it
    with `matplotlib.pyplot.close`). `plot` draws it and writes the file."""
    check_choice(kind, PLOT_KINDS, "plot kind")
    if kind == "adoption":
        report = adoption_report(dataset, first, last, adopted_at)
        caption = (
            f"Data: {dataset.region.name} dataset, version {dataset.version}; harmon {__version__}; "
            f"plot --kind adoption --from {report.years[0]} --to {report.years[-1]}"
            + ("" if adopted_at is None else f" --adopted-at {adopted_at:g}") + "."
        ) if footer else None
        return _drawn(width, height, dpi, caption, lambda fig: _adoption(fig, report, dataset))
    data = trend(dataset, first, last, missing)
    caption = (
        f"Data: {dataset.region.name} dataset, version {dataset.version}; harmon {__version__}; "
        f"plot --kind {kind} --from {data.first} --to {data.last} --missing {missing}."
    ) if footer else None
    draw = {"heatmap": _heatmap, "trend": _trend, "dimensions": _dimensions}[kind]
    return _drawn(width, height, dpi, caption, lambda fig: draw(fig, data, dataset))


def rank_intervals(
    result: SensitivityResult, dataset: Dataset, output: Path | str, width: float = 8.0, height: float = 5.0,
    dpi: int = DPI, force: bool = False,
) -> Path:
    """Draw each state's nominal rank, median rank and 5-95% rank interval from a sensitivity
    analysis to `output` (.png, .svg or .pdf); return the path (replacing a file only with `force`)."""
    output = check_output(output, width, height, dpi, force, dataset.data_paths)
    s = result.settings
    caption = (
        f"Data: {dataset.region.name} dataset, version {dataset.version}; harmon {__version__}; sensitivity "
        f"--year {result.year} --draws {result.draws} --seed {result.seed}; weight spread {s['weight_spread_percent']:g}%; "
        f"missing {'/'.join(s['missing'])}; aggregation {'/'.join(s['aggregation'])}"
        f"{'; drop one' if s['drop_one'] else ''}."
    )

    def draw(fig) -> None:
        states = result.states
        y = np.arange(len(states))
        ax = fig.add_axes([0.22, 0.27, 0.72, 0.63])
        low, high = states["rank_p05"].to_numpy(float, na_value=np.nan), states["rank_p95"].to_numpy(float, na_value=np.nan)
        ax.hlines(y, low, high, color=OKABE_ITO[5], linewidth=6, alpha=0.6, label="5-95% of draws")
        ax.plot(states["median_rank"], y, "o", color=OKABE_ITO[0], markersize=5, label="median rank")
        ax.plot(states["nominal_rank"].to_numpy(float, na_value=np.nan), y, "D", markerfacecolor="none", color=OKABE_ITO[3], markersize=7,
                label="nominal rank")
        ax.set_yticks(y, [mpl_text(name) for name in states["country"]], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0.5, len(states) + 0.5)
        ax.set_xticks(range(1, len(states) + 1))
        ax.set_xlabel("Rank (1 = highest index)")
        ax.set_title(mpl_text(f"{dataset.region.name}, {result.year}: rank intervals under {result.draws:,} draws"))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=7, frameon=False)

    return _figure(output, width, height, dpi, caption, draw, force, dataset.data_paths)


def check_output(
    output: Path | str, width: float = 8.0, height: float = 5.0, dpi: int = DPI, force: bool = False,
    protected: Iterable[Path] = (),
) -> Path:
    """Return `output` as a Path if a figure can be written there at this size, else raise
    `InvalidOption` (or `PlotUnavailable` without matplotlib, `OutputExists` without `force`),
    before any work is done."""
    output = Path(output)
    if output.suffix.lower().lstrip(".") not in PLOT_FORMATS:
        raise InvalidOption(f"{output.name}: the file name must end in one of: {', '.join('.' + f for f in PLOT_FORMATS)}")
    if not (MIN_INCHES <= width <= MAX_INCHES and MIN_INCHES <= height <= MAX_INCHES):
        raise BadValue("size", f"are inches, each from {MIN_INCHES:g} to {MAX_INCHES:g}")
    if not 10 <= dpi <= 1200:
        raise BadValue("dpi", "must be between 10 and 1200")
    if width * height * dpi * dpi > MAX_PIXELS:
        raise BadValue("dpi", f"with this size gives {width * dpi:.0f} x {height * dpi:.0f} pixels: at most "
                              f"{MAX_PIXELS // 1_000_000} million pixels (lower --dpi, --width or --height)")
    check_new(output, force, protected)
    if not output.parent.is_dir():
        raise InvalidOption(f"{output.parent}: no such folder")
    import importlib.util

    if importlib.util.find_spec("matplotlib") is None:
        raise PlotUnavailable()
    return output


def _figure(output: Path, width: float, height: float, dpi: int, caption: str | None, draw, force: bool = False,
            protected: Iterable[Path] = ()) -> Path:
    """Make a `width` x `height` figure, `draw` on it, add `caption` (if any), save it to `output`."""
    return _save(_drawn(width, height, dpi, caption, draw), output, dpi, force, protected)


def _drawn(width: float, height: float, dpi: int, caption: str | None, draw):
    plt = _pyplot()
    fig = plt.figure(figsize=(width, height), dpi=dpi)
    try:
        with warnings.catch_warnings():
            # A name in a script the fonts lack is drawn as boxes: not worth a warning on stderr.
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            draw(fig)
            if caption:
                fig.text(0.01, 0.01, mpl_text(caption), fontsize=7, color="#444444", ha="left", va="bottom", wrap=True)
    except BaseException:
        plt.close(fig)
        raise
    return fig


def _save(fig, output: Path, dpi: int, force: bool = False, protected: Iterable[Path] = ()) -> Path:
    suffix = output.suffix.lower().lstrip(".")
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            atomic_write(output, lambda stream: fig.savefig(stream, dpi=dpi, format=suffix,
                                                           metadata=None if suffix == "pdf" else {}), force, protected)
    finally:
        _pyplot().close(fig)
    return output


def _members_only(data, values_by_state) -> tuple[np.ndarray, np.ndarray]:
    """`values_by_state` (a row per state, a column per year) with the years a state was not a
    member blank (NaN): it had nothing to harmonize with; and where that is."""
    years = list(range(data.first, data.last + 1))
    member = data.panel.countries["member"].unstack("year").reindex(index=data.index.index)[years].to_numpy(bool)
    values = np.asarray(values_by_state, dtype=float).copy()
    values[~member] = np.nan
    return values, ~member


def _matrix(ax, values: np.ndarray, outside: np.ndarray, names: list[str], years: list[int], cmap, labels: bool = True):
    """States x years coloured by `values` on 0-100; unknown grey and hatched, non-member years
    white (left blank)."""
    import matplotlib as mpl

    image = ax.imshow(np.ma.masked_invalid(values), aspect="auto", cmap=cmap, vmin=0, vmax=100, interpolation="nearest")
    unknown = np.argwhere(np.isnan(values) & ~outside)
    for r, c in unknown:
        ax.add_patch(mpl.patches.Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=UNKNOWN_GREY, hatch="///",
                                           edgecolor="#888888", linewidth=0))
    ax.set_yticks(range(len(names)), names if labels else [], fontsize=7 if labels else None)
    step = 1 if len(years) <= 12 else 2 if len(years) <= 24 else 5
    ax.set_xticks(range(0, len(years), step), [str(y) for y in years[::step]], fontsize=7, rotation=45)
    return image, len(unknown) > 0


def _matrix_legend(fig, unknown: bool, outside: bool, anchor, undetermined: bool = False) -> None:
    import matplotlib as mpl
    from matplotlib.lines import Line2D

    handles = []
    if undetermined:
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=3, markerfacecolor="white",
                              markeredgecolor="black", markeredgewidth=0.4,
                              label="not determined: the facts allow a range of indices"))
    if unknown:
        handles.append(mpl.patches.Patch(facecolor=UNKNOWN_GREY, hatch="///", edgecolor="#888888", label="unknown"))
    if outside:
        handles.append(mpl.patches.Patch(facecolor="white", edgecolor="#888888", label="not a member"))
    if handles:
        fig.legend(handles=handles, loc="lower left", bbox_to_anchor=anchor, fontsize=7, frameon=False, ncol=2)


def _heatmap(fig, data, dataset) -> None:
    import matplotlib as mpl

    years = list(range(data.first, data.last + 1))
    values, outside = _members_only(data, data.index[years].to_numpy(dtype=float))
    names = [mpl_text(name) for name in data.index["country"]]
    ax = fig.add_axes([0.2, 0.2, 0.65, 0.68])
    cax = fig.add_axes([0.87, 0.2, 0.025, 0.68])
    cmap = mpl.colormaps["cividis"].with_extremes(bad="white")
    image, unknown = _matrix(ax, values, outside, names, years, cmap)
    ax.set_xlabel("Year")
    ax.set_title(mpl_text(f"{dataset.region.name}: legal-harmonization index by state and year"))
    bar = fig.colorbar(image, cax=cax)
    bar.set_label("Index (0-100)")
    # Undetermined state-years (the facts allow a range of indices): a dot in the cell.
    countries = data.panel.countries
    open_range = (~countries["determined"]).unstack("year").reindex(index=data.index.index)[years].to_numpy(bool)
    rows, cols = np.nonzero(open_range & ~np.isnan(values) & ~outside)
    ax.scatter(cols, rows, s=6, marker="o", color="white", edgecolors="black", linewidths=0.4, zorder=3)
    _matrix_legend(fig, unknown, outside.any(), (0.2, 0.04), undetermined=len(rows) > 0)


def _trend(fig, data, dataset) -> None:
    years = np.array(range(data.first, data.last + 1))
    region = data.region
    mean = region["mean"].to_numpy(dtype=float)
    ax = fig.add_axes([0.09, 0.2, 0.86, 0.62])
    # The band is what the data allow (docs/method.md §13): the lowest and highest mean index over
    # every completion of the unknown facts. It lies within 0-100 by construction: nothing to clip.
    ax.fill_between(years, region["mean_lo"].to_numpy(dtype=float), region["mean_hi"].to_numpy(dtype=float),
                    color=OKABE_ITO[5], alpha=0.25, linewidth=0,
                    label="range of the mean the recorded facts allow")
    ax.plot(years, mean, color=OKABE_ITO[0], marker="o", markersize=3, label="mean index")
    ax.plot(years, region["dyadic_harmonization"].to_numpy(dtype=float), color=OKABE_ITO[3], linestyle="--",
            marker="s", markersize=3, label="dyadic harmonization (%)")
    shown = [m for m in dataset.region.milestones if data.first <= m.year <= data.last]
    _mark_milestones(ax, shown)
    _year_axes(ax, years, "Index / share (0-100)",
               f"{dataset.region.name}: regional legal harmonization, {data.first}-{data.last}")
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    _milestone_key(fig, shown)


def _dimensions(fig, data, dataset) -> None:
    """Small multiples: one states x years panel per dimension, coloured by the dimension score
    (so that no state hides behind another at 100), then the regional mean of each as a line."""
    import matplotlib as mpl

    years = list(range(data.first, data.last + 1))
    panel = data.panel.countries
    dims = dataset.model.dimensions
    names = [mpl_text(name) for name in data.index["country"]]
    cols = 2 if len(dims) > 1 else 1
    rows = int(np.ceil(len(dims) / cols))
    cmap = mpl.colormaps["cividis"].with_extremes(bad="white")
    width = fig.get_figwidth()
    # Room for the longest state name at 7 points (about 0.06 inch a character).
    left, right, top, bottom = min(0.35, (0.06 * max(map(len, names)) + 0.15) / width), 0.86, 0.9, 0.17
    gap_x, gap_y = 0.03, 0.09
    cell_w = (right - left - gap_x * (cols - 1)) / cols
    cell_h = (top - bottom - gap_y * (rows - 1)) / rows
    unknown_any, outside_any, image = False, False, None
    for k, d in enumerate(dims):
        r, c = divmod(k, cols)
        ax = fig.add_axes([left + c * (cell_w + gap_x), top - (r + 1) * cell_h - r * gap_y, cell_w, cell_h])
        scores = panel[d.id].unstack("year").reindex(index=data.index.index)[years].to_numpy(dtype=float)
        values, outside = _members_only(data, scores)
        image, unknown = _matrix(ax, values, outside, names, years, cmap, labels=c == 0)
        mean = data.dimensions[d.id].to_numpy(dtype=float)
        # A narrow figure takes the short names; a wide one adds the latest regional mean.
        title = d.label if width * cell_w >= 3 else dimension_header(d)
        if width * cell_w >= 3.2 and not np.isnan(mean[-1]):
            title += f" (mean {mean[-1]:.0f} in {years[-1]})"
        ax.set_title(mpl_text(title), fontsize=8)
        if r < rows - 1:
            ax.set_xticklabels([])
        unknown_any, outside_any = unknown_any or unknown, outside_any or outside.any()
    cax = fig.add_axes([right + 0.02, bottom, 0.015, top - bottom])
    fig.colorbar(image, cax=cax).set_label("Dimension score (0-100)", fontsize=8)
    cax.tick_params(labelsize=7)
    _matrix_legend(fig, unknown_any, outside_any, (left, 0.045))
    fig.suptitle(mpl_text(f"{dataset.region.name}: dimension scores by state, {data.first}-{data.last}"), fontsize=11)


def _adoption(fig, report: AdoptionReport, dataset: Dataset) -> None:
    years = np.array(report.years)
    ax = fig.add_axes([0.09, 0.2, 0.62, 0.62])
    for k, (indicator, curve) in enumerate(report.curves.groupby("indicator", sort=False)):
        ax.plot(years, 100 * curve["share"].to_numpy(dtype=float), color=OKABE_ITO[k % len(OKABE_ITO)],
                linestyle=LINESTYLES[(k // len(OKABE_ITO)) % len(LINESTYLES)], marker="o", markersize=2.5,
                linewidth=1.3, label=indicator)  # ids: the labels are too long for a legend beside the plot
    _mark_milestones(ax, report.milestones)
    _year_axes(ax, years, "Members that had adopted (% of those known)",
               f"{dataset.region.name}: adoption by indicator, {report.years[0]}-{report.years[-1]}")
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=6.5, frameon=False)
    _milestone_key(fig, report.milestones)


def _year_axes(ax, years, ylabel: str, title: str) -> None:
    """A 0-100 scale over `years`, whole years on the axis, labels and a title above the numbered
    milestones."""
    from matplotlib.ticker import MaxNLocator

    ax.set_ylim(0, 100)
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Year")
    ax.set_ylabel(ylabel)
    ax.set_title(mpl_text(title), pad=36)


def _mark_milestones(ax, milestones) -> None:
    """A dotted line at each year with milestones, numbered above the plot: one label per year
    naming all of that year's milestones ("4, 5"); labels of neighbouring years alternate between
    two heights so that they never touch."""
    by_year: dict[int, list[int]] = {}
    for k, m in enumerate(milestones, 1):
        by_year.setdefault(m.year, []).append(k)
    previous, level = None, 0
    for year, numbers in by_year.items():
        level = 1 - level if previous is not None and year - previous <= 1 else 0
        previous = year
        ax.axvline(year, color="#999999", linewidth=0.8, linestyle=":")
        ax.annotate(", ".join(map(str, numbers)), (year, 100), fontsize=7, ha="center", va="bottom", color="#444444",
                    annotation_clip=False, xytext=(0, 2 + 9 * level), textcoords="offset points")


def _milestone_key(fig, milestones) -> None:
    """The numbered milestones listed under the plot."""
    if milestones:
        key = "; ".join(f"{k + 1} {m.year} {m.kind}" for k, m in enumerate(milestones))
        fig.text(0.01, 0.055, mpl_text("Milestones: " + key), fontsize=6.5, color="#444444", ha="left", va="bottom", wrap=True)
