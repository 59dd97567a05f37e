"""restons.charts: numbers in, SVG out — checked on structure, not pixels."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from restons import charts
from restons.charts import Bar, Part, Point

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def accessible(root: ET.Element, chart_id: str, title: str, desc: str) -> None:
    """An image for screen readers, named by its own title and description, scalable, without script."""
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert root.find(f"{SVG}title").get("id") == f"{chart_id}-title" and root.find(f"{SVG}title").text == title
    assert root.find(f"{SVG}desc").get("id") == f"{chart_id}-desc" and root.find(f"{SVG}desc").text == desc
    width, height = root.get("viewBox").split()[2:]
    assert float(width) == charts.WIDTH and float(height) > 0
    assert root.get("width") is None  # the page decides the size
    assert not list(root.iter(f"{SVG}script"))
    assert not [name for element in root.iter() for name in element.attrib if name.startswith("on")]


def test_mirrored_bars_scale_to_the_tallest_value():
    bars = [Bar(2, 0, "January: 2 from them, 0 from you", "Jan", "2025"), Bar(1, 4, "February", "Feb", "2025"),
            Bar(0, 0, "March", "Mar", "2025")]
    root = parse(charts.mirror_bars(bars, chart_id="t", title="Pings per month", desc="Above, theirs."))
    accessible(root, "t", "Pings per month", "Above, theirs.")
    slots = root.findall(f"{SVG}g[@class='slot']")
    assert [s.find(f"{SVG}title").text for s in slots] == ["January: 2 from them, 0 from you", "February", "March"]
    above = [float(s.find(f"{SVG}rect[@class='bar-above']").get("height")) for s in slots]
    below = [float(s.find(f"{SVG}rect[@class='bar-below']").get("height")) for s in slots]
    assert above == [28, 14, 0] and below == [0, 56, 0]  # 4 is the tallest: 56 units; 2 is half of it
    axis = root.find(f"{SVG}line[@class='axis']")
    tops = [float(s.find(f"{SVG}rect[@class='bar-above']").get("y")) + h for s, h in zip(slots, above)]
    assert set(tops) == {float(axis.get("y1"))}  # every bar above stands on the axis
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts.count("2025") == 1 and ["Jan", "Feb", "Mar"] == [t for t in texts if t in ("Jan", "Feb", "Mar")]


def test_a_line_breaks_where_a_value_is_missing():
    points = [Point(100, "Q1: 2 of 2"), Point(50, "Q2: 1 of 2"), Point(None, "Q3: too early"), Point(0, "Q4: 0 of 2")]
    root = parse(charts.line(points, chart_id="p", title="Adherence", desc="Per quarter", suffix="%"))
    accessible(root, "p", "Adherence", "Per quarter")
    lines = root.findall(f"{SVG}polyline")
    assert [len(line.get("points").split()) for line in lines] == [2, 1]
    assert [g.find(f"{SVG}title").text for g in root.findall(f"{SVG}g[@class='point']")] == [
        "Q1: 2 of 2", "Q2: 1 of 2", "Q4: 0 of 2"]
    (x1, y1), (x2, y2) = [tuple(map(float, p.split(","))) for p in lines[0].get("points").split()]
    grid = sorted(float(g.get("y1")) for g in root.findall(f"{SVG}line[@class='grid']"))
    assert (y1, y2) == (grid[0], grid[1])  # 100 % on the top gridline, 50 % on the middle one
    assert "100%" in [t.text for t in root.iter(f"{SVG}text")]


def test_a_split_bar_is_cut_in_proportion():
    root = parse(charts.split_bar([Part(3, "you", "#000"), Part(1, "them", "#111"), Part(0, "together", "#222")],
                                  chart_id="s", title="Who reached out first", desc="3, 1, 0"))
    accessible(root, "s", "Who reached out first", "3, 1, 0")
    widths = [float(g.find(f"{SVG}rect").get("width")) for g in root.findall(f"{SVG}g[@class='part']")]
    assert widths[0] == 3 * widths[1] and widths[2] == 0
    assert [g.find(f"{SVG}title").text for g in root.findall(f"{SVG}g[@class='part']")] == ["you: 3", "them: 1",
                                                                                          "together: 0"]


def test_paired_bars_one_row_per_label():
    root = parse(charts.paired_bars([("email", 3, 6, "email: 3 and 6"), ("text", 0, 1, "text")], chart_id="c",
                                    title="By channel", desc="email 3 and 6"))
    accessible(root, "c", "By channel", "email 3 and 6")
    rows = root.findall(f"{SVG}g[@class='row']")
    assert [r.find(f"{SVG}title").text for r in rows] == ["email: 3 and 6", "text"]
    assert float(rows[0].find(f"{SVG}rect[@class='bar-below']").get("width")) == 2 * float(
        rows[0].find(f"{SVG}rect[@class='bar-above']").get("width"))


def test_texts_are_escaped_and_numbers_keep_a_decimal_point():
    markup = str(charts.mirror_bars([Bar(1, 1, 'A <b>"bold"</b> & co', "x")], chart_id="e", title="<script>",
                                    desc="a & b"))
    assert "<script>" not in markup and "&lt;script&gt;" in markup and "&lt;b&gt;" in markup
    parse(markup)  # well-formed
    assert charts._n(1.25) in ("1.2", "1.3") and charts._n(-0.0) == "0" and charts._n(56.0) == "56"


def test_empty_charts_are_still_images():
    for markup in (charts.mirror_bars([], chart_id="a", title="t", desc="d"),
                   charts.line([], chart_id="b", title="t", desc="d"),
                   charts.split_bar([], chart_id="c", title="t", desc="d"),
                   charts.paired_bars([], chart_id="d", title="t", desc="d")):
        assert parse(markup).get("role") == "img"
