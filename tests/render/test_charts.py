"""Tests for generator.render.charts: well-formed, accessible, themable, escaped, and drawn to scale."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from generator.render.charts import ForestRow, bar_chart, bar_chart_text, forest_plot, forest_plot_text

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "</svg><script>alert(\"x\")</script>&amp; <b onload='x'>"

IL2 = [
    ("SRI-4 response at week 12", [("Low-dose IL-2", 100 * 16 / 29), ("Placebo", 30.0)]),
    ("SRI-4 response at week 24", [("Low-dose IL-2", 100 * 19 / 29), ("Placebo", 100 * 11 / 30)]),
]
APS = [
    ("Recurrent thrombosis", "risk-ratio", 1.83, 0.71, 4.76),
    ("Stroke", "risk-ratio", 19.0, 1.12, 321.9),
    ("Major bleeding", "risk-ratio", 0.86, 0.30, 2.46),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything that is not well-formed XML


def by_class(root: ET.Element, css_class: str) -> list[ET.Element]:
    return [e for e in root.iter() if css_class in e.get("class", "").split()]


def check_accessible(root: ET.Element, title: str) -> str:
    """Checks the frame every chart shares; returns the desc text."""
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert re.fullmatch(r"0 0 \d+ \d+(\.\d+)?", root.get("viewBox"))
    title_element, desc_element = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby").split() == [title_element.get("id"), desc_element.get("id")]
    assert title_element.text == title
    return desc_element.text


def check_themable(svg: str, root: ET.Element) -> None:
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b|rgb\(|black|white", svg)
    assert root.get("fill") == "currentColor"
    for element in root.iter():
        for attribute in ("fill", "stroke"):
            assert element.get(attribute) in (None, "currentColor")


def point_centre(rect: ET.Element) -> float:
    return float(rect.get("x")) + float(rect.get("width")) / 2


# --------------------------------------------------------------------------- bars


def test_bar_chart_frame_and_description():
    svg = bar_chart("IL-2 in lupus: SRI-4 response", IL2)
    root = parse(svg)
    desc = check_accessible(root, "IL-2 in lupus: SRI-4 response")
    assert desc == (
        "SRI-4 response at week 12: Low-dose IL-2 55.2%, Placebo 30%. "
        "SRI-4 response at week 24: Low-dose IL-2 65.5%, Placebo 36.7%."
    )
    assert desc == bar_chart_text(IL2)
    check_themable(svg, root)


def test_bar_lengths_are_proportional_to_the_percentages():
    root = parse(bar_chart("t", [*IL2, ("Everyone and no one", [("A", 100.0), ("B", 0.0)])]))
    bars = by_class(root, "re-chart-bar")
    values = [v for _, arms in IL2 for _, v in arms] + [100.0, 0.0]
    widths = [float(bar.get("width")) for bar in bars]
    assert len(widths) == len(values)
    full = widths[-2]
    assert widths[-1] == 0
    for width, value in zip(widths, values, strict=True):
        assert width == pytest.approx(full * value / 100, abs=0.01)
    assert {bar.get("x") for bar in bars} == {bars[0].get("x")}  # all start on the same baseline


def test_an_arm_keeps_its_colour_class_in_every_group():
    root = parse(bar_chart("t", IL2))
    classes = [bar.get("class") for bar in by_class(root, "re-chart-bar")]
    assert classes == ["re-chart-bar re-arm-0", "re-chart-bar re-arm-1"] * 2


def test_a_missing_value_draws_no_bar_and_says_so():
    outcomes = [("Remission", [("IL-2", 54.0), ("Placebo", None)])]
    root = parse(bar_chart("t", outcomes))
    assert len(by_class(root, "re-chart-bar")) == 1
    assert [e.text for e in by_class(root, "re-chart-missing")] == ["not reported"]
    assert bar_chart_text(outcomes) == "Remission: IL-2 54%, Placebo not reported."


@pytest.mark.parametrize("value", [-1.0, 100.5])
def test_a_percentage_outside_0_to_100_is_refused(value):
    with pytest.raises(ValueError, match="between 0 and 100"):
        bar_chart("t", [("x", [("a", value)])])


def test_a_long_label_is_shortened_with_the_full_text_kept():
    label = "Low-dose interleukin-2 plus standard of care therapy"
    root = parse(bar_chart("t", [("x", [(label, 10.0)])]))
    (text,) = [e for e in by_class(root, "re-chart-label")]
    assert text.find(f"{SVG}title").text == label
    assert "".join(text.itertext()).endswith("\u2026")
    assert label in root.find(f"{SVG}desc").text


def test_hostile_text_in_a_bar_chart_is_escaped():
    svg = bar_chart(HOSTILE, [(HOSTILE, [(HOSTILE, 10.0)])])
    root = parse(svg)
    assert "<script" not in svg and "<b " not in svg
    assert not [e for e in root.iter() if e.tag.endswith(("script", "b"))]
    assert root.find(f"{SVG}title").text == " ".join(HOSTILE.split())
    assert HOSTILE in root.find(f"{SVG}desc").text


def test_characters_xml_cannot_hold_are_dropped():
    root = parse(bar_chart("a\x00b\x1bc", [("x\x0cy", [("arm", 5.0)])]))
    assert root.find(f"{SVG}title").text == "abc"


def test_ids_are_deterministic_distinct_and_can_be_chosen():
    first, again = parse(bar_chart("t", IL2)), parse(bar_chart("t", IL2))
    other = parse(bar_chart("t", IL2[:1]))
    assert first.get("aria-labelledby") == again.get("aria-labelledby") != other.get("aria-labelledby")
    chosen = parse(bar_chart("t", IL2, chart_id="sri4"))
    assert chosen.get("aria-labelledby") == "sri4-title sri4-desc"
    with pytest.raises(ValueError):
        bar_chart("t", IL2, chart_id='x" onload="alert(1)')


# --------------------------------------------------------------------------- forest plot


def test_forest_plot_frame_and_description():
    svg = forest_plot("Rivaroxaban versus warfarin in APS", APS)
    root = parse(svg)
    desc = check_accessible(root, "Rivaroxaban versus warfarin in APS")
    assert desc == (
        "Recurrent thrombosis: RR 1.83 (95% CI 0.71 to 4.76). Stroke: RR 19.0 (95% CI 1.12 to 321.9). "
        "Major bleeding: RR 0.86 (95% CI 0.3 to 2.46)."
    )
    assert desc == forest_plot_text(APS)
    check_themable(svg, root)
    assert [e.text for e in by_class(root, "re-chart-value")] == [
        "1.83 (0.71 to 4.76)",
        "19.0 (1.12 to 321.9)",
        "0.86 (0.3 to 2.46)",
    ]
    assert by_class(root, "re-chart-caption")[0].text == "Risk ratio (log scale)"


def test_a_ratio_is_placed_on_a_log_scale_around_1():
    root = parse(forest_plot("t", [*APS, ("No effect", "risk-ratio", 1.0, 0.5, 2.0)]))
    (null,) = by_class(root, "re-chart-null")
    null_x = float(null.get("x1"))
    assert null.get("x2") == null.get("x1")
    points = [point_centre(rect) for rect in by_class(root, "re-chart-point")]
    assert points[3] == pytest.approx(null_x, abs=0.01)  # 1.0 sits on the no-effect line
    # Row 1: 0.71 and 4.76 on opposite sides of the line, spaced by their logarithms.
    whisker = by_class(root, "re-chart-ci")[0]
    low_x, high_x = float(whisker.get("x1")), float(whisker.get("x2"))
    assert low_x < null_x < points[0] < high_x
    assert (high_x - points[0]) / (points[0] - low_x) == pytest.approx(
        math.log(4.76 / 1.83) / math.log(1.83 / 0.71), rel=1e-3
    )
    # 0.5 and 2.0 are equally far from 1 on a log scale.
    last = by_class(root, "re-chart-ci")[-3]
    assert null_x - float(last.get("x1")) == pytest.approx(float(last.get("x2")) - null_x, abs=0.02)


def test_log_axis_ticks_are_labelled_and_evenly_spaced_by_decade():
    root = parse(forest_plot("t", APS))
    ticks = {e.text: float(e.get("x")) for e in by_class(root, "re-chart-tick")}
    assert list(ticks) == ["0.1", "1", "10", "100", "1000"]
    assert ticks["1"] == float(by_class(root, "re-chart-null")[0].get("x1"))
    gaps = [b - a for a, b in zip(list(ticks.values()), list(ticks.values())[1:], strict=False)]
    assert gaps == pytest.approx([gaps[0]] * 4)
    stroke = point_centre(by_class(root, "re-chart-point")[1])  # 19.0
    assert stroke - ticks["10"] == pytest.approx(math.log10(1.9) * gaps[0], abs=0.02)


def test_a_narrow_interval_gets_finer_ticks():
    root = parse(forest_plot("Myositis", [("Cancer", "hazard-ratio", 1.18, 1.08, 1.29)]))
    ticks = [e.text for e in by_class(root, "re-chart-tick")]
    assert len(ticks) >= 3
    assert ticks[0] == "1"
    assert forest_plot_text([("Cancer", "hazard-ratio", 1.18, 1.08, 1.29)]) == (
        "Cancer: HR 1.18 (95% CI 1.08 to 1.29)."
    )


def test_a_difference_is_placed_on_a_linear_scale_around_0():
    rows = [("Pain", "mean-difference", -1.5, -2.3, -0.7), ("Fatigue", "mean-difference", 0.4, -0.2, 1.1)]
    root = parse(forest_plot("t", rows))
    null_x = float(by_class(root, "re-chart-null")[0].get("x1"))
    ticks = {e.text: float(e.get("x")) for e in by_class(root, "re-chart-tick")}
    assert ticks["0"] == null_x
    positions = list(ticks.values())
    gaps = [b - a for a, b in zip(positions, positions[1:], strict=False)]
    assert gaps == pytest.approx([gaps[0]] * len(gaps))
    pain, fatigue = (point_centre(r) for r in by_class(root, "re-chart-point"))
    assert pain < null_x < fatigue
    assert list(ticks) == ["\u22123", "\u22122", "\u22121", "0", "1", "2"]
    assert fatigue - pain == pytest.approx(1.9 * (ticks["1"] - ticks["0"]), abs=0.02)
    assert by_class(root, "re-chart-caption")[0].text == "Mean difference"


def test_a_row_without_an_interval_has_no_whiskers():
    root = parse(forest_plot("t", [ForestRow("Flare", "odds-ratio", 0.5)]))
    assert by_class(root, "re-chart-ci") == []
    assert len(by_class(root, "re-chart-point")) == 1
    assert root.find(f"{SVG}desc").text == "Flare: OR 0.5."


def test_numbers_given_as_text_are_printed_as_written():
    root = parse(forest_plot("t", [("Stroke", "risk-ratio", "19.00", "1.12", "321.90")]))
    assert by_class(root, "re-chart-value")[0].text == "19.00 (1.12 to 321.90)"
    assert "RR 19.00 (95% CI 1.12 to 321.90)" in root.find(f"{SVG}desc").text


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "at least one row"),
        ([("a", "risk-ratio", 1.2, 0.9, 1.5), ("b", "mean-difference", 1, 0, 2)], "cannot mix"),
        ([("a", "risk-ratio", 0.0, 0.0, 1.5)], "above 0"),
        ([("a", "relative-odds", 1.2, 0.9, 1.5)], "unknown effect measure"),
    ],
)
def test_forest_plot_refuses_rows_it_cannot_draw(rows, message):
    with pytest.raises(ValueError, match=message):
        forest_plot("t", rows)


def test_hostile_text_in_a_forest_plot_is_escaped():
    svg = forest_plot(HOSTILE, [(HOSTILE, "hazard-ratio", 1.2, 1.0, 1.4)])
    root = parse(svg)
    assert "<script" not in svg
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert root.find(f"{SVG}desc").text.startswith(" ".join(HOSTILE.split()))


@pytest.mark.parametrize("layout", ["wide", "narrow"])
def test_the_narrow_layout_puts_labels_above_on_a_smaller_canvas_with_larger_text(layout):
    groups = [("SRI-4 response at week 12", [("Low-dose IL-2", 55.2), ("Placebo", 30.0)])]
    rows = [("Recurrent thrombosis", "risk-ratio", "1.83", "0.71", "4.76")]
    for svg in (bar_chart("t", groups, layout=layout), forest_plot("t", rows, layout=layout)):
        root = parse(svg)
        width = float(root.get("viewBox").split()[2])
        font = float(root.get("font-size"))
        assert f"re-chart--{layout}" in root.get("class").split()
        # Drawn 343 px wide on a 375 px phone, text must stay at least 13.6 px (the figure caption's size).
        assert (font * 343 / width >= 13.6) == (layout == "narrow")
        assert all(float(rect.get("x")) + float(rect.get("width")) <= width for rect in root.iter(f"{SVG}rect"))
    labels = by_class(parse(bar_chart("t", groups, layout=layout)), "re-chart-label")
    assert labels and all(float(label.get("x")) == 0 for label in labels) == (layout == "narrow"), "above the bars"
    assert bar_chart("t", groups) != bar_chart("t", groups, layout="narrow")
    ids = {parse(bar_chart("t", groups, layout=layout)).find(f"{SVG}title").get("id") for layout in ("wide", "narrow")}
    assert len(ids) == 2, "two layouts on one page never share an id"
