"""What every chart of the project shares: Norwegian numbers, whole-number score axes, the
font the PDF is set in. The chart builders themselves live beside their data
(factors/charts.py, keyfigures/charts.py); reports/charts.py turns a figure into SVG."""

# Norwegian numbers in every chart (plotly.js has no Norwegian locale of its own here): a
# decimal comma, and a non-breaking space between thousands, 12 345,6 (layout.separators
# takes the decimal mark first, then the thousands separator).
NORWEGIAN_SEPARATORS = ",\u00a0"

# A score axis shows whole numbers only: 1, 2, 3 … never 2.5.
WHOLE_NUMBER_TICKS = {"tickmode": "linear", "dtick": 1, "tickformat": "d"}

FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"
