"""Tables for a paper: `score`, `status`, `diff` and `export` in Markdown and LaTeX, with short
headers grouped under their dimension, chosen decimals, `–` for unknown with a note, a caption and a
label; the LaTeX compiled with a real TeX engine where one is installed."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from harmon.cli import app

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def pipe_tables(text: str) -> list[list[list[str]]]:
    """Every Markdown pipe table in `text` as rows of cells (header first, rule left out)."""
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            current.append([c.strip() for c in line.strip("|").split(" | ")])
        elif current:
            tables.append([row for row in current if not set("".join(row)) <= set("-:|")])
            current = []
    return tables


def test_region_export_in_markdown_by_hand():
    text = run("export", "--shape", "region", "--from", "2009", "--to", "2012", "-o", "-", "-f", "md")
    first, second = pipe_tables(text)
    # Panel A: regional figures and dimension means; 2011 from the region CSV (README):
    # mean 82.9167, s.d. 23.8958, dyadic 68.7024, cv 23.8958 / 82.9167 = 0.288.
    assert first[0][:9] == ["Year", "Members", "Mean", "Mean range: Low", "High", "S.d.", "Dyadic", "Dyadic range: Low",
                            "High"]
    assert first[0][9] == "Dimension means: Crim." and first[0][10:13] == ["Spec.", "Regional", "Treaties"]
    row = next(r for r in first if r[0] == "2011")
    assert (row[2], row[5], row[6]) == ("82.9", "23.9", "68.7")
    # The mean's range in 2011 (docs/method.md §13): 54.6 to 86.2.
    assert (row[3], row[4]) == ("54.6", "86.2")
    # Panel B: CV, then adoption shares by indicator code, on 0-1 with one decimal more; unknown as –.
    assert second[0][:4] == ["Year", "CV", "Adoption share: 1a", "1b"]
    shares = {r[0]: r for r in second[1:]}
    # prosecutor training (2b) is known only from 2015 (Table 2): unknown before; MLAT (3a) 9 of 10 in 2011.
    assert shares["2011"][1] == "0.29"
    assert shares["2009"][5] == "–" and shares["2011"][7] == "0.90" and shares["2009"][2] == "0.80"
    assert "1a = Specific anti-trafficking law" in text and "– unknown: the sources do not say" in text
    assert "dyadic_harmonization" not in text.split("-->", 1)[1]  # no variable names as headers
    wider = run("export", "--shape", "region", "--from", "2011", "--to", "2011", "-o", "-", "-f", "md", "--decimals", "2")
    assert "| 2011 | 10 | 82.92 | 54.58 | 86.25 | 23.90 | 68.70 |" in wider


def test_score_by_indicator_groups_indicators_under_their_dimension():
    text = run("score", "--year", "2011", "--format", "markdown", "--by", "indicator")
    (table,) = pipe_tables(text)
    assert table[0][:5] == ["Rank", "State", "Crim.: 1a", "1b", "Spec.: 2a"]
    tha = next(r for r in table if r[1] == "Thailand")
    # Thailand 2011 (countries/thailand.yaml): law 2008 -> 1; prosecutor training observed 2015 -> unknown.
    assert tha[2] == "1.00" and tha[5] == "–" and tha[-3:] == ["62.5", "45.8–62.5", "83.3%"]
    assert "unknown" not in "".join(c for r in table for c in r)
    latex = run("score", "--year", "2011", "--format", "latex", "--by", "indicator")
    assert "\\multicolumn{2}{c}{Crim.}" in latex and "\\cmidrule(lr){3-4}" in latex
    assert "\\caption{ASEAN: legal-harmonization index, 2011}" in latex
    assert "\\label{tab:harmon-asean-score-2011-indicators}" in latex and "\\toprule" in latex


def test_diff_and_status_tables():
    diff = run("diff", "2011", "2015", "--country", "THA", "--format", "markdown")
    (table,) = pipe_tables(diff)
    # Thailand 2011 -> 2015: all +37.5 is real (MLAT, UNTOC, Protocol in 2013: regional 50 -> 100,
    # treaties 0 -> 100); training and support, newly observed at 1, leave specialization at 100.
    assert table[1] == ["Thailand", "62.5", "100.0", "+37.5", "0.0", "2013 ASEAN MLAT ratified 0→1"]
    assert ["", "", "", "", "", "2013 UNTOC ratified 0→1"] in table  # one fact a row
    status = run("status", "--dimension", "treaties", "--format", "latex", "--year", "2004")
    assert "\\caption{International treaties (2004)}" in status and "$\\times$" in status


SAMPLES = {
    "score": ["score", "--year", "2011", "--format", "latex"],
    "score-indicators": ["score", "--year", "2011", "--format", "latex", "--by", "indicator"],
    "status": ["status", "--format", "latex"],
    "diff": ["diff", "2004", "2015", "--format", "latex"],
    "region": ["export", "--shape", "region", "-o", "-", "-f", "tex"],
}


@pytest.mark.skipif(shutil.which("pdflatex") is None,
                    reason="no TeX engine: install Debian's texlive-latex-base and texlive-latex-recommended")
def test_latex_compiles_with_pdflatex(tmp_path):
    inputs = []
    for name, args in SAMPLES.items():
        (tmp_path / f"{name}.tex").write_text(run(*args), encoding="utf-8")
        inputs.append(f"\\input{{{name}}}\n\\clearpage")
    document = "\n".join(["\\documentclass{article}", "\\usepackage[T1]{fontenc}", "\\usepackage{booktabs}",
                          "\\usepackage{amssymb}", "\\begin{document}", *inputs, "\\end{document}", ""])
    (tmp_path / "paper.tex").write_text(document, encoding="utf-8")
    result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "paper.tex"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
    assert (tmp_path / "paper.pdf").stat().st_size > 0
    log = (tmp_path / "paper.log").read_text(errors="replace")
    assert not re.search(r"Overfull \\hbox \((\d{2,}|[3-9])\.\d+pt too wide\) in alignment", log), "a table is wider than the page"
