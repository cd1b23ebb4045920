"""The `hetong` console command, driven as a user would: arguments in, stdout/stderr and exit code out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hetong.cli import main

ZJ = "bid_toolkit_tenders/contract_sections/zj_gp_service_contract.txt"


def test_segment_prints_units_with_offsets_that_index_the_text(
    corpus_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = corpus_dir / ZJ
    assert main(["segment", "--json", str(path)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    text = path.read_text(encoding="utf-8")
    assert len(records) == 91
    for record in records:
        assert text[record["start"] : record["end"]] == record["text"]
    assert records[19]["text"].startswith("三、合同金额\n本合同金额为")


def test_segment_plain_output_shows_offsets_and_markers(
    corpus_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["segment", "--sentences", str(corpus_dir / ZJ)]) == 0
    out = capsys.readouterr().out.splitlines()
    unit_lines = [line for line in out if not line.startswith("    ")]
    assert len(unit_lines) == 91
    assert unit_lines[19].startswith("[337, 394)\tnumbered\t三、\t三、合同金额⏎本合同金额为")
    assert any(line.startswith("    [") for line in out)


def test_segment_reads_docx(corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docx = (
        corpus_dir
        / "bid_toolkit_tenders/raw/real_bids/服务类"
        / "PCMET-2611YG0122 黄浦海关辅助服务采购项目 招标文件 发售稿.docx"
    )
    assert main(["segment", str(docx)]) == 0
    out = capsys.readouterr().out
    assert "\ttable_row\t" in out
    assert "第四条  管理服务期限⏎管理服务的期限为" in out


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["segment", "/nonexistent/contract.txt"], 2, "contract.txt"),
        (["serve", "--model", "/nonexistent/model"], 2, "no model at /nonexistent/model/model.onnx"),
    ],
)
def test_errors_are_one_line_and_exit_2(argv: list[str], code: int, needle: str, capsys) -> None:
    assert main(argv) == code
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_segment_refuses_oversized_and_empty_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.txt"
    big.write_text("甲方应付款。" * 100, encoding="utf-8")
    assert main(["segment", "--max-bytes", "100", str(big)]) == 2
    assert "file_too_large" in capsys.readouterr().err
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["segment", str(empty)]) == 2
    assert "empty_document" in capsys.readouterr().err


def test_normalize_prints_json_and_exit_code_reflects_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["normalize", "amount", "人民币壹拾万零伍佰元整"]) == 0
    assert json.loads(capsys.readouterr().out)["value"] == "100500.00"
    assert main(["normalize", "rate", "万分之五", "--left", "每逾期一日，按合同总价的"]) == 0
    rate = json.loads(capsys.readouterr().out)
    assert (rate["fraction"], rate["per"], rate["base"]) == ("0.0005", "day", "TOTAL")
    assert main(["normalize", "date", "2025-02-30"]) == 1
    assert json.loads(capsys.readouterr().out)["ok"] is False


def test_console_script_runs_as_a_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hetong.cli", "normalize", "uscc", "91330302MA2HQ8K4X9"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["valid"] is True


def test_unknown_kind_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["normalize", "currency", "x"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
