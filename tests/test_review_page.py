"""The review page in a real headless Chromium against a real server on the shipped model.

A filled corpus template is uploaded through the page's file input (so ``/v1/review/file`` is exercised
as a reviewer would), and the rendered page is checked: every highlight is the text of an entity at its
offsets, the parties table names both parties, and a screenshot shows the highlight colours.
Run with ``make test-browser`` (installs Debian's chromium and chromium-driver when missing).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hetong.documents import read_file
from serving.launch import running_server
from training.template_fill import fill_template

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path("bid_toolkit_tenders/contract_sections/luojing_town_comprehensive_mgmt_service_contract.txt")
PARTY_BLUE = (0xCF, 0xE3, 0xFF)  # mark.party in review.html
ACTIVE_RED = (0xD7, 0x26, 0x3D)  # the outline of the span a jump link selects


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    driver_path = shutil.which("chromedriver")
    if driver_path is None:
        pytest.fail("chromedriver not found: `make test-browser` installs chromium and chromium-driver")
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


def test_the_review_page_highlights_a_filled_template(browser, corpus_dir: Path, tmp_path: Path) -> None:
    from PIL import Image
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    doc = fill_template(read_file(corpus_dir / TEMPLATE).text, 11, "page-test")
    upload = tmp_path / "contract.txt"
    upload.write_text(doc.text, encoding="utf-8")
    parties = {s.text(doc.text) for s in doc.ent if s.label.startswith("PARTY")}

    with running_server(REPO_ROOT / "models" / "default", threads=2) as server:
        browser.get(server.url + "/")
        browser.find_element(By.ID, "file").send_keys(str(upload))
        browser.find_element(By.ID, "go").click()
        WebDriverWait(browser, 60).until(ec.visibility_of_element_located((By.ID, "results")))
        status = browser.find_element(By.ID, "status").text
        assert status.startswith("完成"), status

        # Every highlight is exactly the text at its entity's offsets in the returned text.
        checked = browser.execute_script(
            """
            const marks = [...document.querySelectorAll('#text mark')];
            const bad = marks.filter((m) => !current.entities.some(
                (e) => current.text.slice(e.start, e.end).includes(m.textContent)));
            return [marks.length, current.entities.length, bad.length,
                    document.getElementById('text').textContent === current.text];
            """
        )
        marks, entities, bad, whole_text = checked
        assert entities >= 5 and marks >= entities and bad == 0 and whole_text
        table = browser.find_element(By.ID, "parties").text
        assert parties and any(name in table for name in parties), (parties, table)
        assert browser.find_element(By.ID, "risks").find_elements(By.TAG_NAME, "tr")

        # A reviewer clicks a party's position: the text scrolls to that mention and outlines it.
        rows = browser.find_elements(By.CSS_SELECTOR, "#parties tr")[1:]
        row = next(r for r in rows if r.text.split()[1] in parties)
        row.find_element(By.CLASS_NAME, "jump").click()
        active = "".join(a.text for a in browser.find_elements(By.CSS_SELECTOR, "#text .active"))
        assert active == row.text.split()[1]

        # HETONG_SCREENSHOT_DIR keeps the screenshot for a person to look at.
        shot = Path(os.environ.get("HETONG_SCREENSHOT_DIR") or tmp_path) / "review_page.png"
        assert browser.save_screenshot(str(shot))

    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 1000) or image.size[0] >= 1000
    colours = image.getcolors(maxcolors=1 << 20) or []
    counts = {rgb: n for n, rgb in colours}
    assert counts.get(PARTY_BLUE, 0) > 100, "no party highlight visible in the screenshot"
    assert counts.get(ACTIVE_RED, 0) > 20, "the selected span is not outlined in the screenshot"


def test_a_reviewer_flags_wrong_and_missed_spans_and_sends_them_to_the_annotation_queue(
    browser, corpus_dir: Path, tmp_path: Path
) -> None:
    import json

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    doc = fill_template(read_file(corpus_dir / TEMPLATE).text, 12, "feedback-test")
    upload = tmp_path / "contract.txt"
    upload.write_text(doc.text, encoding="utf-8")
    queue = tmp_path / "queue"
    env = {"HETONG_FEEDBACK_DIR": str(queue)}
    with running_server(REPO_ROOT / "models" / "default", threads=2, env=env) as server:
        browser.get(server.url + "/")
        browser.find_element(By.ID, "file").send_keys(str(upload))
        browser.find_element(By.ID, "go").click()
        WebDriverWait(browser, 60).until(ec.visibility_of_element_located((By.ID, "results")))
        mark = browser.find_elements(By.CSS_SELECTOR, "#text mark")[2]
        marked_text = mark.text
        mark.click()
        assert browser.find_element(By.ID, "flag-count").text == "1"
        assert browser.find_elements(By.CSS_SELECTOR, "#text mark.flagged")
        # A span the model missed: the reviewer selects four characters of unhighlighted text.
        selected = browser.execute_script(
            """
            const node = [...document.querySelectorAll('#text > span')]
                .find((s) => s.textContent.trim().length >= 8).firstChild;
            const from = node.textContent.search(/\\S/);
            const range = document.createRange();
            range.setStart(node, from);
            range.setEnd(node, from + 4);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            return range.toString();
            """
        )
        Select(browser.find_element(By.ID, "missing-label")).select_by_value("PARTY_B")
        browser.find_element(By.ID, "missing").click()
        assert browser.find_element(By.ID, "flag-count").text == "2"
        assert selected in browser.find_element(By.ID, "missing-list").text
        expected = browser.execute_script(
            "return [...flagged.values()].map((e) => [e.start, e.end, e.label, e.problem]);"
        )
        browser.find_element(By.ID, "note").send_keys("此处识别有误")
        browser.find_element(By.ID, "send").click()
        sent = WebDriverWait(browser, 30).until(lambda b: b.find_element(By.ID, "sent").text.strip() or None)
        assert sent.startswith("已送交标注队列："), sent

    feedback_id = sent.split("：", 1)[1]
    sidecar = json.loads((queue / f"{feedback_id}.feedback.json").read_text(encoding="utf-8"))
    assert [[f["start"], f["end"], f["label"], f["problem"]] for f in sidecar["flagged"]] == expected
    assert sidecar["note"] == "此处识别有误" and sidecar["model_version"]
    text = (queue / f"{feedback_id}.txt").read_text(encoding="utf-8")
    (start, end, _, problem), (m_start, m_end, m_label, m_problem) = expected
    assert problem == "wrong" and marked_text and marked_text in text[start:end]
    assert (m_label, m_problem) == ("PARTY_B", "missing") and text[m_start:m_end] == selected
