"""Review's charts drawn by Plotly.js in Chromium at the widths leaders read them at: no
label over another (the legend below its axis's ticks and title) and none cut."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import plotly
import pytest

from workshop import charts

LEGIBLE = (Path(__file__).parent / "legible.js").read_text()
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

PRIORITIES = pd.DataFrame(
    {
        "team": ["Sales", "Sales", "Support", "Support", "Operations", "Operations"],
        "label": ["Data literacy for everyone in the company", "Customer interviews"] * 3,
        "dots": [5, 3, 4, 2, 3, 3],
        "share": [0.6, 0.4, 0.5, 0.5, 0.5, 0.5],
    }
)
OVER_TIME = pd.DataFrame(
    {
        "label": ["Data literacy", "Data literacy", "Customer interviews", "Customer interviews"],
        "held_on": [date(2026, 3, 1), date(2026, 9, 1)] * 2,
        "workshop": ["Spring", "Autumn"] * 2,
        "dot_share": [0.3, 0.4, 0.2, 0.1],
    }
)
CHECKIN = pd.DataFrame(
    {
        "id": [1, 2],
        "text": ["Data literacy for everyone in the company", "Customer interviews"],
        "team": ["(everyone)", "(everyone)"],
        "before": [2.0, 3.0],
        "after": [3.5, 3.0],
        "people": [4, 3],
    }
)
FIGURES = {
    "priorities by team": lambda: charts.team_priorities(PRIORITIES),
    "recurring needs over time": lambda: charts.support_over_time(OVER_TIME),
    "check-in": lambda: charts.checkin_change(CHECKIN),
}


@pytest.mark.parametrize("width", [1400, 1000])
@pytest.mark.parametrize("name", FIGURES)
def test_reviews_charts_keep_their_labels_apart(browser, name, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_content("<div class='review'><div id='chart'></div></div>")
    page.add_script_tag(path=str(PLOTLY_JS))
    page.evaluate(
        "(spec) => Plotly.newPlot('chart', spec.data, spec.layout, {displayModeBar: false})",
        json.loads(FIGURES[name]().to_json()),
    )
    assert page.evaluate(LEGIBLE, {"least": 0, "within": ".review"}) == []
    page.close()
