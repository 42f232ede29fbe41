"""End-to-end test of the dashboard in headless Chromium (Debian's chromium + chromedriver).

A warehouse is built from the small-dirty fixture twice (as_of 2025-06-01, kept as an
earlier version, then as_of 2025-07-01 published), so the as-of filter has two choices
and the segment history has two refreshes (at_risk_max_probability_alive 0.95, so that the
at-risk list has members). Streamlit serves dashboard/app.py on a free
localhost port; Selenium loads it and checks that the charts rendered and that the numbers
shown equal the marts. Screenshots go to docs/screenshots/ (committed, shown in the README).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import FIXTURE_RAW_DIR, REPO_ROOT, run_dbt
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
EARLIER_AS_OF = "2025-06-01 00:00:00"
PUBLISHED_AS_OF = "2025-07-01 00:00:00"
NOT_AVAILABLE = "not available in this warehouse"
BUILD_MODELS_ONLY = [
    "build",
    "--exclude-resource-type",
    "test",
    "--exclude-resource-type",
    "unit_test",
]
WAIT_SECONDS = 45
SUMMARY_SQL = "select segment, member_count from marts.segment_summary"
AT_RISK_MAX = 0.95


@pytest.fixture(scope="module")
def dashboard_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Published warehouse at 2025-07-01 with an earlier kept version at 2025-06-01."""
    tmp_dir = tmp_path_factory.mktemp("dashboard")
    published = tmp_dir / "wh" / "warehouse.duckdb"
    published.parent.mkdir()
    # a higher at-risk threshold than the default 0.5, so that the fixture's at-risk list is
    # not empty (its VIPs' probability_alive is 0.88 or more)
    raw_vars = {"raw_path": str(FIXTURE_RAW_DIR), "at_risk_max_probability_alive": AT_RISK_MAX}
    run_dbt(BUILD_MODELS_ONLY, published, tmp_dir, vars={**raw_vars, "as_of": EARLIER_AS_OF})
    versions = published.parent / "versions"
    versions.mkdir()
    shutil.copyfile(published, versions / "warehouse-20250601T000000Z.duckdb")
    run_dbt(BUILD_MODELS_ONLY, published, tmp_dir, vars={**raw_vars, "as_of": PUBLISHED_AS_OF})
    return published


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard_url(dashboard_warehouse: Path) -> Iterator[str]:
    """Streamlit serving dashboard/app.py on the test warehouse, on a free localhost port."""
    port = free_port()
    env = dict(os.environ, DUCKDB_PATH=str(dashboard_warehouse))
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO_ROOT / "dashboard" / "app.py"),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            pytest.fail(f"streamlit did not start:\n{log.read().decode()[-3000:]}")
        time.sleep(0.3)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("Debian chromium and chromium-driver are missing: run `make browser-deps`")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def rendered_charts(driver: WebDriver) -> int:
    """Vega-Lite charts that have drawn (a canvas or an SVG inside the chart element)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart]'))"
        ".filter(chart => chart.querySelector('canvas, svg')).length"
    )


def app_is_idle(driver: WebDriver) -> bool:
    """The script run finished: lookup section drawn and no 'running' status widget."""
    running = driver.find_elements(By.CSS_SELECTOR, "[data-testid=stStatusWidget]")
    return not running and bool(
        driver.find_elements(By.XPATH, "//*[contains(text(), 'Customer lookup')]")
    )


def load(driver: WebDriver, url: str, min_charts: int) -> None:
    driver.get(url)
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: app_is_idle(d) and rendered_charts(d) >= min_charts
    )


def tables(driver: WebDriver) -> list[list[list[str]]]:
    """Every st.table on the page: rows of cell texts (header row first)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('[data-testid=stTable] table'))"
        ".map(table => Array.from(table.querySelectorAll('tr'))"
        ".map(row => Array.from(row.children).map(cell => cell.innerText.trim())))"
    )


def metrics(driver: WebDriver) -> dict[str, str]:
    return driver.execute_script(
        "const out = {};"
        "document.querySelectorAll('[data-testid=stMetric]').forEach(metric => {"
        "  out[metric.querySelector('[data-testid=stMetricLabel]').innerText.trim()] ="
        "    metric.querySelector('[data-testid=stMetricValue]').innerText.trim(); });"
        "return out;"
    )


def full_page_screenshot(driver: WebDriver, name: str) -> Path:
    height = driver.execute_script(
        "const main = document.querySelector('[data-testid=stMain]');"
        "return Math.max(main ? main.scrollHeight : 0, document.body.scrollHeight);"
    )
    driver.set_window_size(1400, min(int(height) + 120, 8000))
    time.sleep(1.0)  # let the charts re-lay out at the new width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / name
    driver.save_screenshot(str(target))
    driver.set_window_size(1400, 1000)
    return target


def profile_columns(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_schema = 'marts' and table_name = 'customer_profile'"
    ).fetchall()
    return {row[0] for row in rows}


def test_dashboard_numbers_equal_the_marts(
    dashboard_url: str, browser: WebDriver, dashboard_warehouse: Path
) -> None:
    # segments (2) + world maps (2) + countries (2) + education + channel Pareto + transitions
    load(browser, dashboard_url, min_charts=9)
    with duckdb.connect(str(dashboard_warehouse), read_only=True) as con:
        summary = dict(con.execute(SUMMARY_SQL).fetchall())
        customers, buyers = con.execute(
            "select count(*), count(*) filter (where order_count >= 1) from marts.customer_profile"
        ).fetchone()
        currency = con.execute("select reporting_currency from marts.reporting_context").fetchone()[
            0
        ]
        columns = profile_columns(con)

    segment_table = tables(browser)[0]
    header, rows = segment_table[0], segment_table[1:]
    members_at = header.index("members")
    shown = {row[0]: int(row[members_at]) for row in rows}
    assert shown == summary

    shown_metrics = metrics(browser)
    assert shown_metrics["Customers"] == str(customers)
    assert shown_metrics["Buyers"] == str(buyers)

    page = browser.find_element(By.TAG_NAME, "body").text
    assert "2025-07-01" in page
    # Charts whose columns are not in customer_profile yet say so (and light up later).
    missing = {"age_band", "income_band", "lifecycle_stage", "rfm_group"} - columns
    assert (NOT_AVAILABLE in page) == bool(missing), missing
    assert "Customers entering each segment, per refresh" in browser.page_source
    # every money figure carries the reporting currency; the world map is drawn
    assert shown_metrics[f"Revenue ({currency})"].endswith(f" {currency}")
    assert f"revenue ({currency})" in header
    assert all(row[header.index(f"revenue ({currency})")].endswith(currency) for row in rows)
    assert f"Revenue by country ({currency})" in browser.page_source
    full_page_screenshot(browser, "dashboard.png")
    world_map = browser.find_elements(By.CSS_SELECTOR, "[data-testid=stVegaLiteChart]")[2]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", world_map)
    time.sleep(1.0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    world_map.find_element(
        By.XPATH, "./ancestor::*[@data-testid='stHorizontalBlock'][1]"
    ).screenshot(str(SCREENSHOTS / "dashboard-world-map.png"))


def test_segment_filter_and_customer_lookup(
    dashboard_url: str, browser: WebDriver, dashboard_warehouse: Path
) -> None:
    with duckdb.connect(str(dashboard_warehouse), read_only=True) as con:
        vip_rows = con.execute("select customer_id from segments.vip").fetchall()
        vip_ids = [row[0] for row in vip_rows]
        customer_id = sorted(vip_ids)[0]
        lifetime_value = con.execute(
            "select lifetime_value from marts.customer_profile where customer_id = ?",
            [customer_id],
        ).fetchone()[0]
        currency = con.execute("select reporting_currency from marts.reporting_context").fetchone()[
            0
        ]
    load(browser, f"{dashboard_url}/?segment=vip&customer={customer_id}", min_charts=8)

    assert metrics(browser)["Customers"] == str(len(vip_ids))
    segment_rows = tables(browser)[0][1:]
    assert [row[0] for row in segment_rows] == ["vip"]

    lookup = {row[0]: row[1] for row in tables(browser)[-1][1:]}
    assert lookup["customer_id"] == customer_id
    assert lookup["is_vip"] == "True"
    assert lookup["lifetime_value"] == f"{lifetime_value} {currency}"
    assert "@" not in "".join(lookup.values())  # the profile holds no e-mail
    full_page_screenshot(browser, "dashboard-vip-lookup.png")


def test_as_of_filter_offers_the_earlier_refresh(
    dashboard_url: str, browser: WebDriver, dashboard_warehouse: Path
) -> None:
    earlier = next((dashboard_warehouse.parent / "versions").glob("*.duckdb"))
    with duckdb.connect(str(earlier), read_only=True) as con:
        earlier_summary = dict(con.execute(SUMMARY_SQL).fetchall())
    load(browser, dashboard_url, min_charts=9)
    as_of_select = browser.find_elements(By.CSS_SELECTOR, "[data-testid=stSelectbox]")[0]
    as_of_select.click()
    options = WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "[role=option]")
    )
    labels = [option.text for option in options]
    assert len(labels) == 2, labels
    assert "2025-07-01" in labels[0] and "published" in labels[0]
    assert "2025-06-01" in labels[1] and "earlier refresh" in labels[1]
    options[1].click()
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: app_is_idle(d) and "As of 2025-06-01" in d.find_element(By.TAG_NAME, "body").text
    )
    WebDriverWait(browser, WAIT_SECONDS).until(lambda d: rendered_charts(d) >= 8)
    rows = tables(browser)[0][1:]
    assert {row[0]: int(row[1]) for row in rows} == earlier_summary


def test_lifetime_value_section(
    dashboard_url: str, browser: WebDriver, dashboard_warehouse: Path
) -> None:
    with duckdb.connect(str(dashboard_warehouse), read_only=True) as con:
        at_risk = [row[0] for row in con.execute(
            "select customer_id from segments.at_risk_high_value "
            "order by predicted_value_lost desc, customer_id").fetchall()]
        buyers = con.execute("select buyer_count from marts.clv_model_fit").fetchone()[0]
    assert at_risk, "the fixture at threshold 0.95 has at-risk VIPs"
    load(browser, dashboard_url, min_charts=9)
    section = browser.find_element(By.CSS_SELECTOR, ".st-key-lifetime_value")
    # centred: below Streamlit's sticky top bar, which would cover the section's header
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", section)
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: len([c for c in section.find_elements(
            By.CSS_SELECTOR, "[data-testid=stVegaLiteChart]")
            if c.find_elements(By.CSS_SELECTOR, "canvas, svg")]) == 2
    )
    text = section.text
    assert "Predicted vs historical value" in section.get_attribute("innerHTML")
    assert f"Fitted on {buyers} buyers" in text
    rows = section.find_elements(By.CSS_SELECTOR, "[data-testid=stTable] tbody tr")
    shown = [row.find_elements(By.CSS_SELECTOR, "th, td")[0].text.strip() for row in rows]
    assert shown == at_risk
    time.sleep(1.0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(str(SCREENSHOTS / "dashboard-clv.png"))
