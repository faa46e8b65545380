"""Figures for papers and slides (matplotlib, imported only when a figure is drawn).

`plot(dataset, kind, output, ...)` writes one figure: `heatmap` (states x years coloured by index,
unknown hatched grey), `trend` (the regional mean, dispersion band and dyadic harmonization, with
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
from harmon.choices import PLOT_FORMATS, PLOT_KINDS, check_choice
from harmon.core.adoption import AdoptionReport, adoption_report
from harmon.core.trend import trend
from harmon.data.loading import Dataset
from harmon.errors import BadValue, InvalidOption, PlotUnavailable
from harmon.files import atomic_write, check_new

if TYPE_CHECKING:
    from harmon.core.sensitivity import SensitivityResult

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
             "#999999", "#882255"]
LINESTYLES = ["-", "--", "-.", ":"]
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
    dpi: int = 150,
    adopted_at: float | None = None,
    force: bool = False,
) -> Path:
    """Draw figure `kind` and write it to `output` (.png, .svg or .pdf); return the path.
    `adopted_at` is the adoption threshold of `adoption` (None: any level above 0). An existing
    file is replaced only with `force` (`harmon.files.atomic_write`)."""
    check_choice(kind, PLOT_KINDS, "plot kind")
    output = check_output(output, width, height, dpi, force, dataset.data_paths)
    if kind == "adoption":
        report = adoption_report(dataset, first, last, adopted_at)
        caption = (
            f"Data: {dataset.region.name} dataset, version {dataset.version}; harmon {__version__}; "
            f"plot --kind adoption --from {report.years[0]} --to {report.years[-1]}"
            + ("" if adopted_at is None else f" --adopted-at {adopted_at:g}") + "."
        )
        return _figure(output, width, height, dpi, caption, lambda fig: _adoption(fig, report, dataset), force,
                       dataset.data_paths)
    data = trend(dataset, first, last, missing)
    caption = (
        f"Data: {dataset.region.name} dataset, version {dataset.version}; harmon {__version__}; "
        f"plot --kind {kind} --from {data.first} --to {data.last} --missing {missing}."
    )
    draw = {"heatmap": _heatmap, "trend": _trend, "dimensions": _dimensions}[kind]
    return _figure(output, width, height, dpi, caption, lambda fig: draw(fig, data, dataset), force, dataset.data_paths)


def rank_intervals(
    result: SensitivityResult, dataset: Dataset, output: Path | str, width: float = 8.0, height: float = 5.0,
    dpi: int = 150, force: bool = False,
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
    output: Path | str, width: float = 8.0, height: float = 5.0, dpi: int = 150, force: bool = False,
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


def _figure(output: Path, width: float, height: float, dpi: int, caption: str, draw, force: bool,
            protected: Iterable[Path]) -> Path:
    """Make a `width` x `height` figure, `draw` on it, add `caption`, save it to `output`."""
    suffix = output.suffix.lower().lstrip(".")
    plt = _pyplot()
    fig = plt.figure(figsize=(width, height), dpi=dpi)
    try:
        with warnings.catch_warnings():
            # A name in a script the fonts lack is drawn as boxes: not worth a warning on stderr.
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            draw(fig)
            fig.text(0.01, 0.01, mpl_text(caption), fontsize=7, color="#444444", ha="left", va="bottom", wrap=True)
            atomic_write(output, lambda stream: fig.savefig(stream, dpi=dpi, format=suffix,
                                                           metadata=None if suffix == "pdf" else {}), force, protected)
    finally:
        plt.close(fig)
    return output


def _heatmap(fig, data, dataset) -> None:
    import matplotlib as mpl

    years = list(range(data.first, data.last + 1))
    values = data.index[years].to_numpy(dtype=float)
    names = [mpl_text(name) for name in data.index["country"]]
    ax = fig.add_axes([0.2, 0.18, 0.65, 0.7])
    cax = fig.add_axes([0.87, 0.18, 0.025, 0.7])
    cmap = mpl.colormaps["cividis"].with_extremes(bad="#dddddd")
    image = ax.imshow(np.ma.masked_invalid(values), aspect="auto", cmap=cmap, vmin=0, vmax=100,
                      interpolation="nearest")
    unknown = np.argwhere(np.isnan(values))
    for r, c in unknown:
        ax.add_patch(mpl.patches.Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, hatch="///",
                                           edgecolor="#888888", linewidth=0))
    ax.set_yticks(range(len(names)), names, fontsize=8)
    step = 1 if len(years) <= 12 else 2
    ax.set_xticks(range(0, len(years), step), [str(y) for y in years[::step]], fontsize=8, rotation=45)
    ax.set_xlabel("Year")
    ax.set_ylabel("State")
    ax.set_title(mpl_text(f"{dataset.region.name}: legal-harmonization index by state and year"))
    bar = fig.colorbar(image, cax=cax)
    bar.set_label("Index (0-100)")
    if len(unknown):
        ax.legend(handles=[mpl.patches.Patch(facecolor="#dddddd", hatch="///", edgecolor="#888888", label="unknown")],
                  loc="upper left", bbox_to_anchor=(0, -0.12), fontsize=7, frameon=False)


def _trend(fig, data, dataset) -> None:
    years = np.array(range(data.first, data.last + 1))
    region = data.region
    mean = region["mean"].to_numpy(dtype=float)
    spread = region["dispersion"].to_numpy(dtype=float)
    ax = fig.add_axes([0.09, 0.2, 0.86, 0.62])
    ax.fill_between(years, mean - spread, mean + spread, color=OKABE_ITO[5], alpha=0.25, linewidth=0,
                    label="mean ± dispersion (s.d.)")
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
    from matplotlib.ticker import MaxNLocator

    years = list(range(data.first, data.last + 1))
    panel = data.panel
    dims = dataset.model.dimensions
    cols = 2 if len(dims) > 1 else 1
    rows = int(np.ceil(len(dims) / cols))
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
    fig.subplots_adjust(left=0.08, right=0.8, top=0.88, bottom=0.17, hspace=0.35, wspace=0.12)
    handles = []
    for k, d in enumerate(dims):
        ax = axes[k // cols][k % cols]
        for j, c in enumerate(dataset.countries):
            series = panel.countries.loc[c.iso3][d.id].to_numpy(dtype=float)
            (line,) = ax.plot(years, series, color=OKABE_ITO[j % len(OKABE_ITO)],
                              linestyle=LINESTYLES[(j // len(OKABE_ITO)) % len(LINESTYLES)], linewidth=1,
                              alpha=0.8, label=mpl_text(c.country))
            if k == 0:
                handles.append(line)
        (mean_line,) = ax.plot(years, data.dimensions[d.id].to_numpy(dtype=float), color="black", linewidth=2.2,
                               label="regional mean")
        ax.set_title(mpl_text(d.label), fontsize=9)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        ax.set_ylim(-3, 103)
        ax.tick_params(labelsize=7)
        if k % cols == 0:
            ax.set_ylabel("Score (0-100)", fontsize=8)
        if k // cols == rows - 1:
            ax.set_xlabel("Year", fontsize=8)
    for k in range(len(dims), rows * cols):
        axes[k // cols][k % cols].set_visible(False)
    fig.legend(handles=[*handles, mean_line], loc="center right", fontsize=7, frameon=False)
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
    """A dotted line at each milestone's year, numbered above the plot (numbers of one year stack)."""
    in_year: dict[int, int] = {}
    for k, m in enumerate(milestones):
        stacked = in_year[m.year] = in_year.get(m.year, -1) + 1
        ax.axvline(m.year, color="#999999", linewidth=0.8, linestyle=":")
        ax.annotate(f"{k + 1}", (m.year, 101), fontsize=7, ha="center", va="bottom", color="#444444",
                    annotation_clip=False, xytext=(0, 8 * stacked), textcoords="offset points")


def _milestone_key(fig, milestones) -> None:
    """The numbered milestones listed under the plot."""
    if milestones:
        key = "; ".join(f"{k + 1} {m.year} {m.kind}" for k, m in enumerate(milestones))
        fig.text(0.01, 0.055, mpl_text("Milestones: " + key), fontsize=6.5, color="#444444", ha="left", va="bottom", wrap=True)
