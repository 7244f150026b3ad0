"""The preview in a real browser (Debian's chromium through Playwright), with the fake builder:
start page, article view, page count, spreads, edition switch, live reload after a stylesheet
save, a build error reported in the page with the last good pages kept, and recovery."""

from __future__ import annotations

import time

from paiban.preview import Preview

# Pixel in the top margin of the first page image (inside the bleed-and-margin area, where the
# page background shows), read through a canvas: proves the page image itself changed.
PIXEL_JS = """() => {
  const img = document.querySelector('.sheet[data-page="1"] img');
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  const d = g.getImageData(Math.floor(c.width / 2), Math.floor(c.height * 0.04), 1, 1).data;
  return [d[0], d[1], d[2]];
}"""
IMAGES_LOADED_JS = """() => [...document.querySelectorAll('.sheet img')].slice(0, 2)
  .every(i => i.complete && i.naturalWidth > 0)"""


def wait_reloaded(page, old_revision: str, timeout: float = 20) -> str:
    """Wait until the page was reloaded (new revision) and its first images are in."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            revision = page.evaluate("document.body && document.body.dataset.revision")
            if revision and revision != old_revision and page.evaluate(IMAGES_LOADED_JS):
                return revision
        except Error:
            pass  # the document was being replaced
        page.wait_for_timeout(50)
    raise AssertionError(f"page did not reload from revision {old_revision}")


def revision(page) -> str:
    return page.evaluate("document.body.dataset.revision")


def open_article(page, preview: Preview) -> None:
    page.goto(preview.url)
    cards = page.locator("a.card")
    assert cards.count() == 4
    page.wait_for_function("""() => [...document.querySelectorAll('.thumbs img')]
        .every(i => i.complete && i.naturalWidth > 0)""")
    page.locator('a.card[data-target="long/zh-Hans/fake"]').click()
    page.wait_for_url("**/a/long/zh-Hans/fake")
    page.wait_for_function(IMAGES_LOADED_JS)
    page.wait_for_selector("#live.on")  # the event stream is open


def test_start_page_article_spreads_and_edition_switch(preview: Preview, chromium) -> None:
    page = chromium.new_page()
    try:
        open_article(page, preview)
        pdf_pages = len(preview.images.geometry(preview.board.get("long/zh-Hans/fake").target.pdf(preview.cfg)))
        assert pdf_pages > 2
        assert page.locator(".sheet[data-page]").count() == pdf_pages
        assert page.locator(".sheet svg rect.trim").count() == pdf_pages
        html = preview.board.get("long/zh-Hans/fake").target.html(preview.cfg)
        assert page.get_attribute("#html-link", "href") == "/dist/" + html.relative_to(preview.cfg.out).as_posix()

        page.click("#view-spreads")
        page.wait_for_url("**?view=spreads")
        rows = page.locator(".row")
        assert rows.first.locator(".sheet.blank").count() == 1  # page 1 alone, on the right
        assert rows.nth(1).locator(".sheet[data-page]").count() == min(2, pdf_pages - 1)

        page.click("nav[aria-label=edition] a:has-text('zh-Hant')")
        page.wait_for_url("**/a/long/zh-Hant/fake?view=spreads")
        assert page.locator("nav[aria-label=edition] .on").inner_text() == "zh-Hant"

        # An edition not built at start-up: built when first opened, then the page reloads.
        taiwan = page.locator("nav[aria-label=edition] a.later:has-text('zh-Hant-TW')")
        taiwan.click()
        page.wait_for_url("**/a/long/zh-Hant-TW/fake?view=spreads")
        page.wait_for_function(f"() => document.querySelectorAll('.sheet[data-page]').length === {pdf_pages}")
        page.wait_for_function(IMAGES_LOADED_JS)
        assert preview.board.get("long/zh-Hant-TW/fake") is not None

        page.click("#toggle-marks")
        assert page.evaluate("document.body.classList.contains('no-marks')")
        page.click("#toggle-marks")
    finally:
        page.close()


def test_stylesheet_save_reloads_and_errors_show_with_last_good_pages(preview: Preview,
                                                                      chromium) -> None:
    page = chromium.new_page()
    try:
        open_article(page, preview)
        assert page.evaluate(PIXEL_JS) == [255, 255, 255]
        pages_before = page.locator(".sheet[data-page]").count()

        css = preview.cfg.styles_dir / "fake.css"
        before = revision(page)
        css.write_text(css.read_text("utf-8").replace("#ffffff", "#ffe0e0"), "utf-8")
        before = wait_reloaded(page, before)
        assert page.evaluate(PIXEL_JS) == [255, 224, 224]

        # A sidecar with a key the builder does not know: reported with file and line.
        sidecar = preview.cfg.seeds / "long.toml"
        sidecar.write_text('title = "x"\ncolour = "red"\n', "utf-8")
        before = wait_reloaded(page, before)
        problem = page.locator("#problem")
        assert problem.is_visible()
        assert "long.toml:2" in problem.locator(".where").inner_text()
        assert "colour" in problem.locator(".message").inner_text()
        assert page.locator(".sheet[data-page]").count() == pages_before  # last good pages
        assert page.evaluate(PIXEL_JS) == [255, 224, 224]

        # Fixed: the error goes away.
        sidecar.write_text('title = "x"\n', "utf-8")
        before = wait_reloaded(page, before)
        assert page.locator("#problem").count() == 0

        # A broken template: the template's file and line.
        template = preview.cfg.layout_dir / "fake.html.j2"
        good = template.read_text("utf-8")
        template.write_text(good.replace("{{ title }}</h1>", "{{ title }</h1>"), "utf-8")
        before = wait_reloaded(page, before)
        assert "fake.html.j2:4" in page.locator("#problem .where").inner_text()
        template.write_text(good, "utf-8")
        wait_reloaded(page, before)
        assert page.locator("#problem").count() == 0
        assert page.locator(".sheet[data-page]").count() == pages_before
    finally:
        page.close()


def test_open_target_is_rebuilt_first(preview: Preview, chromium) -> None:
    """After a shared change, the target open in the browser is built before the others."""
    page = chromium.new_page()
    try:
        page.goto(preview.url + "a/short/zh-Hant/fake")
        page.wait_for_selector("#live.on")
        builder = preview.builder
        builder.built.clear()
        before = revision(page)
        css = preview.cfg.styles_dir / "fake.css"
        css.write_text(css.read_text("utf-8") + "\nh1 { color: #b3261e; }\n", "utf-8")
        wait_reloaded(page, before)
        assert preview.scheduler.wait_idle(30)
        built = [f"{t.text.stem}/{t.edition}" for t in builder.built]
        # (A save the watcher happens to see as two bursts builds some twice: that is allowed.)
        assert built[0] == "short/zh-Hant" and len(set(built)) == 4
    finally:
        page.close()


def test_saving_a_text_rebuilds_only_its_targets_and_the_start_page_follows(
        preview: Preview, chromium) -> None:
    page = chromium.new_page()
    try:
        page.goto(preview.url)
        page.wait_for_selector("#live.on")
        card = page.locator('a.card[data-target="short/zh-Hans/fake"]')
        assert card.locator(".thumbs img").count() == 1
        preview.builder.built.clear()
        before = revision(page)
        text = preview.cfg.seeds / "short.txt"
        text.write_text(text.read_text("utf-8") + "\n".join(["再添一段。" * 60] * 12), "utf-8")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if revision(page) != before and card.locator(".thumbs img").count() > 1:
                    break
            except Exception:  # noqa: BLE001 - the page was reloading
                pass
            page.wait_for_timeout(50)
        assert card.locator(".thumbs img").count() > 1
        assert preview.scheduler.wait_idle(20)
        assert {f"{t.text.stem}/{t.edition}" for t in preview.builder.built} == {
            "short/zh-Hans", "short/zh-Hant"}
    finally:
        page.close()


HIDE_JS = """hidden => {
  Object.defineProperty(document, 'hidden', {value: hidden, configurable: true});
  document.dispatchEvent(new Event('visibilitychange'));
}"""


def test_a_hidden_tab_lets_go_of_its_stream_and_catches_up_when_shown(preview: Preview,
                                                                      chromium) -> None:
    page = chromium.new_page()
    try:
        open_article(page, preview)
        page.evaluate(HIDE_JS, True)
        assert page.locator("#live.on").count() == 0
        before = revision(page)
        css = preview.cfg.styles_dir / "fake.css"
        css.write_text(css.read_text("utf-8").replace("#ffffff", "#e0e0ff"), "utf-8")
        time.sleep(0.3)
        assert preview.scheduler.wait_idle(30)
        page.wait_for_timeout(300)
        assert revision(page) == before  # nobody told the hidden tab
        page.evaluate(HIDE_JS, False)
        wait_reloaded(page, before)
        assert page.evaluate(PIXEL_JS) == [224, 224, 255]
    finally:
        page.close()
