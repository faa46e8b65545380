"""A hostile world: files harmon was not asked to destroy, data text that must be shown and never
obeyed, and text that must never crash an output.

Each test names the defect of 0.1.0 it pins (an adversarial trial, run as root). Cases that only
root can set up (a device node) are skipped with a reason elsewhere.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harmon import files
from harmon.cli import app
from harmon.errors import OutputExists, OutputInsideData, OutputNotWritable

REPO = Path(__file__).resolve().parent.parent
HARMON = [sys.executable, "-c", "import sys; from harmon.cli import main; sys.argv[0] = 'harmon'; main()"]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def copy_dataset(root: Path) -> Path:
    root.mkdir(parents=True)
    for name in ("region.yaml", "references.yaml"):
        shutil.copy(REPO / name, root / name)
    for name in ("indicators", "countries"):
        shutil.copytree(REPO / name, root / name)
    return root


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code != 3 and "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def _write(text: bytes):
    return lambda stream: stream.write(text)


# --- one way to write files ------------------------------------------------------------------


def test_a_file_that_appears_while_writing_wins_without_force(tmp_path: Path) -> None:
    # 0.1.0 checked "exists" first and renamed over whatever appeared during a long export.
    target = tmp_path / "panel.csv"

    def slow(stream):
        target.write_text("theirs")  # another process creates the file meanwhile
        stream.write(b"ours")

    with pytest.raises(OutputExists):
        files.atomic_write(target, slow)
    assert target.read_text() == "theirs"
    assert os.listdir(tmp_path) == ["panel.csv"]  # no temporary left


def test_parallel_exports_to_one_path_only_one_wins(here: Path) -> None:
    # 0.1.0: 20 parallel exports to one path all reported "wrote".
    procs = [subprocess.Popen([*HARMON, "export", "-o", "p.csv"], cwd=here,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    codes = [p.wait(timeout=120) for p in procs]
    assert sorted(codes) == [0] + [2] * 5, [p.stderr.read() for p in procs]
    assert sorted(os.listdir(here)) == ["p.csv"]


def test_force_keeps_the_permissions(tmp_path: Path) -> None:
    # 0.1.0: --force turned a 600 file into 644.
    target = tmp_path / "secret.csv"
    target.write_text("old")
    target.chmod(0o600)
    files.atomic_write(target, _write(b"new"), force=True)
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_symbolic_link_is_never_written_through(tmp_path: Path) -> None:
    # 0.1.0: plot, schema and init --force wrote into the link's target, or created a dangling one's.
    real = tmp_path / "real.csv"
    real.write_text("keep")
    (tmp_path / "link.csv").symlink_to(real)
    (tmp_path / "dangling.csv").symlink_to(tmp_path / "nowhere.csv")
    for name in ("link.csv", "dangling.csv"):
        with pytest.raises(OutputNotWritable, match="symbolic link"):
            files.atomic_write(tmp_path / name, _write(b"x"), force=True)
    assert real.read_text() == "keep" and not (tmp_path / "nowhere.csv").exists()


def test_plot_schema_init_refuse_symbolic_links(here: Path) -> None:
    (here / "victim.png").write_bytes(b"keep")
    Path("fig.png").symlink_to("victim.png")
    assert run("plot", "-o", "fig.png", "--force")[0] == 2
    assert (here / "victim.png").read_bytes() == b"keep"
    Path("schemas").mkdir()
    Path("schemas/country.schema.json").symlink_to(here / "victim.json")
    code, out = run("schema", "-o", "schemas", "--force")
    assert code == 2 and "symbolic link" in out and not (here / "victim.json").exists()
    assert not Path("schemas/region.schema.json").exists()  # all checked before any is written
    assert run("init", "ds", "--states", "Ghana")[0] == 0
    Path("ds/region.yaml").unlink()
    Path("ds/region.yaml").symlink_to(here / "elsewhere.yaml")
    code, out = run("init", "ds", "--states", "Ghana", "--force")
    assert code == 2 and "symbolic link" in out and not (here / "elsewhere.yaml").exists()


def test_folders_and_fifos_are_never_replaced_even_with_force(tmp_path: Path) -> None:
    (tmp_path / "dir.csv").mkdir()
    os.mkfifo(tmp_path / "fifo.csv")
    for name, kind in (("dir.csv", "a folder"), ("fifo.csv", "a FIFO")):
        with pytest.raises(OutputNotWritable, match=kind):
            files.atomic_write(tmp_path / name, _write(b"x"), force=True)
    assert (tmp_path / "dir.csv").is_dir() and stat.S_ISFIFO(os.lstat(tmp_path / "fifo.csv").st_mode)


@pytest.mark.skipif(not IS_ROOT, reason="only root can make a device node (and 0.1.0 replaced /dev/null only as root)")
def test_a_device_is_never_replaced_as_root(here: Path) -> None:
    os.mknod(here / "null.csv", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    for command in (("export", "-o", "null.csv", "--force"), ("codebook", "-o", "null.csv", "--force")):
        code, out = run(*command)
        assert code == 2 and "a device" in out
        assert stat.S_ISCHR(os.lstat(here / "null.csv").st_mode)


def test_outputs_into_the_dataset_are_refused(here: Path) -> None:
    # 0.1.0: -o could name one of the dataset's own files; --data D -o D --force deleted D.
    data = copy_dataset(here / "d")
    before = (data / "countries" / "thailand.yaml").read_bytes()
    assert run("export", "--data", "d", "-o", "d/countries/thailand.yaml", "--format", "csv", "--force")[0] == 2
    assert (data / "countries" / "thailand.yaml").read_bytes() == before
    assert run("codebook", "--data", "d", "-o", "d/region.yaml", "--force")[0] == 2
    code, out = run("export", "--data", "d", "-o", "d", "--format", "datapackage", "--force")
    assert code == 2 and "did not write" in out
    assert (data / "region.yaml").is_file() and len(os.listdir(data / "countries")) == 10
    with pytest.raises(OutputInsideData):
        files.check_target(data / "indicators" / "new.csv", True, [data / "indicators"])


def test_datapackage_replaces_only_a_folder_harmon_wrote(here: Path) -> None:
    Path("mine").mkdir()
    Path("mine/thesis.tex").write_text("years of work")
    code, out = run("export", "--format", "datapackage", "-o", "mine", "--force")
    assert code == 2 and Path("mine/thesis.tex").read_text() == "years of work"
    assert run("export", "--format", "datapackage", "-o", "pkg")[0] == 0
    assert files.MARKER in os.listdir("pkg")
    assert run("export", "--format", "datapackage", "-o", "pkg", "--force")[0] == 0
    Path("pkg/notes.txt").write_text("mine")
    assert run("export", "--format", "datapackage", "-o", "pkg", "--force")[0] == 2
    assert Path("pkg/notes.txt").read_text() == "mine"


def test_a_folder_that_appears_during_a_datapackage_export_survives(tmp_path: Path) -> None:
    # 0.1.0 deleted a folder (and its files) that appeared at DIR while the export ran.
    target = tmp_path / "pkg"

    def fill(folder: Path) -> None:
        target.mkdir()
        (target / "theirs.txt").write_text("theirs")
        (folder / "wide.csv").write_text("ours")

    with pytest.raises(OutputExists):
        files.atomic_folder(target, fill)
    assert os.listdir(target) == ["theirs.txt"] and sorted(os.listdir(tmp_path)) == ["pkg"]


def test_plot_needs_force_and_a_failing_render_keeps_the_old_file(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Path("fig.svg").write_text("old figure")
    code, out = run("plot", "-o", "fig.svg")
    assert code == 2 and "--force" in out and Path("fig.svg").read_text() == "old figure"
    import matplotlib.figure

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", broken)
    assert run("plot", "-o", "fig.svg", "--force")[0] == 2
    assert Path("fig.svg").read_text() == "old figure" and os.listdir(here) == ["fig.svg"]


def test_sensitivity_plot_needs_force(here: Path) -> None:
    Path("ranks.png").write_bytes(b"old")
    code, out = run("sensitivity", "--draws", "20", "--seed", "1", "--plot", "ranks.png")
    assert code == 2 and Path("ranks.png").read_bytes() == b"old"
    assert run("sensitivity", "--draws", "20", "--seed", "1", "--plot", "ranks.png", "--force")[0] == 0
    assert Path("ranks.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("size", [("--width", "0.1"), ("--dpi", "1200", "--width", "20", "--height", "20")])
def test_plot_sizes_out_of_bounds_are_refused(here: Path, size: tuple[str, ...]) -> None:
    # 0.1.0: tiny sizes crashed; 20 x 20 inches at 1200 dpi took 13 GB.
    code, out = run("plot", "-o", "f.png", *size)
    assert code == 2 and ("inches" in out or "pixels" in out) and not os.listdir(here)


def test_temporaries_of_a_killed_run_are_cleaned(tmp_path: Path) -> None:
    # 0.1.0: SIGKILL left hidden .*.tmp files that nothing removed.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    target = tmp_path / "panel.csv"
    stale = tmp_path / f".panel.csv.{dead.pid}.0123abcd.tmp"
    stale.write_text("half")
    alive = tmp_path / f".panel.csv.{os.getppid()}.0123abcd.tmp"  # a writer that still runs
    alive.write_text("busy")
    foreign = tmp_path / ".panel.csv.notours.tmp"
    foreign.write_text("someone's")
    files.atomic_write(target, _write(b"new"))
    assert sorted(os.listdir(tmp_path)) == sorted(["panel.csv", alive.name, foreign.name])


def test_sigkill_mid_export_then_next_export_cleans_up(here: Path) -> None:
    code = (
        "import sys, time\n"
        "import harmon.report.writers as w\n"
        "def slow(export, fmt, stream, raw=False):\n"
        "    stream.write(b'half'); stream.flush(); print('READY', flush=True); time.sleep(60)\n"
        "w.write_stream = slow\n"
        "from harmon.cli import main\n"
        "sys.argv = ['harmon', 'export', '-o', 'p.csv']\n"
        "main()\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=here, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "READY\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert [n for n in os.listdir(here) if n.endswith(".tmp")]
    assert run("export", "-o", "p.csv")[0] == 0
    assert os.listdir(here) == ["p.csv"]


def test_binary_export_to_a_terminal_is_refused(here: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([*HARMON, "export", "-o", "-", "--format", "xlsx"], cwd=here,
                              stdout=follower, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 2 and "binary" in proc.stderr


@pytest.mark.parametrize("fmt", ["xlsx", "dta"])
def test_binary_exports_are_byte_identical(here: Path, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # 0.1.0: xlsx carried the zip entries' and the workbook's times; dta pandas' time stamp.
    assert run("export", "-o", f"a.{fmt}", "--shape", "long")[0] == 0
    time.sleep(1.1)  # a clock that moved on must not show
    assert run("export", "-o", f"b.{fmt}", "--shape", "long")[0] == 0
    assert Path(f"a.{fmt}").read_bytes() == Path(f"b.{fmt}").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run("export", "-o", f"c.{fmt}", "--shape", "long")[0] == 0
    assert Path(f"c.{fmt}").read_bytes() != Path(f"a.{fmt}").read_bytes()
