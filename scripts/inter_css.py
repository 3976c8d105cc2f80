"""Print the @font-face rules for the self-hosted Inter copied by `make vendor`.

    python scripts/inter_css.py > static/vendor/inter/inter.css     # what `make vendor` runs
    python scripts/inter_css.py --measure                           # recompute FALLBACKS (by hand)

Inter is one variable font (the `wght` axis) per subset: every weight the pages use (400 body,
500 headings and buttons, 600, 700 and the 800 of the big numbers, which renders as 700 as it
did with the static files) comes from one file of 48 KB, and only latin is fetched unless a
page shows a latin-ext character (unicode-range).

While Inter loads (font-display: swap), the text is set in "Inter Fallback": a local Arial (or
its metric twins Helvetica, Liberation Sans, Arimo), or DejaVu Sans where none of them exists,
scaled and given Inter's ascent and descent, so the swap moves nothing. The figures below come
from `--measure`: per weight, the width of Medvirk's own bokmål text (the message catalogue and
the demo content) as Chromium sets it in Inter, kerning included, over its width in the fallback.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SUBSETS = {
    "latin": "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, "
    "U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD",
    "latin-ext": "U+0100-02BA, U+02BD-02C5, U+02C7-02CC, U+02CE-02D7, U+02DD-02FF, U+0304, U+0308, "
    "U+0329, U+1D00-1DBF, U+1E00-1E9F, U+1EF2-1EFF, U+2020, U+20A0-20AB, U+20AD-20C0, U+2113, "
    "U+2C60-2C7F, U+A720-A7FF",
}

# Inter's vertical metrics (hhea and OS/2 typo agree; USE_TYPO_METRICS is set): units per em 2048.
INTER_UPM, INTER_ASCENT, INTER_DESCENT, INTER_LINE_GAP = 2048, 1984, -494, 0

# Local fonts standing in for Inter, by the weight they stand in for. The names are the full
# and PostScript names local() matches on. Arial, Helvetica, Liberation Sans and Arimo share
# their advance widths, so one size-adjust serves all four.
LOCAL = {
    "Inter Fallback": {
        "regular": ('local("Arial")', 'local("ArialMT")', 'local("Helvetica")', 'local("Liberation Sans")',
                    'local("LiberationSans")', 'local("Arimo")'),
        "bold": ('local("Arial Bold")', 'local("Arial-BoldMT")', 'local("Helvetica Bold")',
                 'local("Liberation Sans Bold")', 'local("LiberationSans-Bold")', 'local("Arimo Bold")'),
    },
    "Inter Fallback DejaVu": {
        "regular": ('local("DejaVu Sans")', 'local("DejaVuSans")'),
        "bold": ('local("DejaVu Sans Bold")', 'local("DejaVuSans-Bold")'),
    },
}
# Which local face stands in for each Inter weight: 500 is nearer a regular, 600 a bold.
FACE_FOR_WEIGHT = {400: "regular", 500: "regular", 600: "bold", 700: "bold"}
# size-adjust per family and weight, from `--measure` (Inter 4.001, Liberation Sans 1.07.4,
# DejaVu Sans 2.37, Chromium 156).
FALLBACKS = {
    "Inter Fallback": {400: 1.0662, 500: 1.0787, 600: 1.0129, 700: 1.0243},
    "Inter Fallback DejaVu": {400: 0.9360, 500: 0.9470, 600: 0.8456, 700: 0.8552},
}
INTER_FILE = ROOT / "node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2"


def font_face_rules() -> str:
    rules = []
    for subset, ranges in SUBSETS.items():
        rules.append(
            "@font-face {\n"
            "  font-family: Inter;\n"
            "  font-style: normal;\n"
            "  font-display: swap;\n"
            "  font-weight: 400 700;\n"
            f"  src: url(files/inter-{subset}-wght-normal.woff2) format('woff2');\n"
            f"  unicode-range: {ranges};\n"
            "}"
        )
    for family, weights in FALLBACKS.items():
        for weight, size in weights.items():
            sources = ", ".join(LOCAL[family][FACE_FOR_WEIGHT[weight]])
            rules.append(
                "@font-face {\n"
                f'  font-family: "{family}";\n'
                "  font-style: normal;\n"
                f"  font-weight: {weight};\n"
                f"  src: {sources};\n"
                f"  size-adjust: {size * 100:.2f}%;\n"
                f"  ascent-override: {INTER_ASCENT / INTER_UPM / size * 100:.2f}%;\n"
                f"  descent-override: {-INTER_DESCENT / INTER_UPM / size * 100:.2f}%;\n"
                f"  line-gap-override: {INTER_LINE_GAP / INTER_UPM / size * 100:.2f}%;\n"
                "}"
            )
    return "\n".join(rules) + "\n"


def _corpus() -> list[str]:
    """Medvirk's own bokmål: every msgid of the catalogue and the texts of the demo content."""
    import ast
    import re

    catalogue = (ROOT / "app/translations/messages.pot").read_text(encoding="utf-8")
    texts = [m.group(1) for m in re.finditer(r'^msgid "(.+)"$', catalogue, re.M)]
    demo = ast.parse((ROOT / "app/demo_content.py").read_text(encoding="utf-8"))
    texts += [node.value for node in ast.walk(demo) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return [t for t in texts if t.strip()]


# Widths as Chromium sets the text (Inter's kerning included): per weight, the whole corpus in
# Inter and in the local font that stands in for it, drawn on a canvas.
MEASURE_PAGE = """
async ([inter, families, faces, corpus]) => {
  const font = new FontFace('InterMeasured', `url(data:font/woff2;base64,${inter})`, {weight: '100 900'});
  document.fonts.add(await font.load());
  const ctx = document.createElement('canvas').getContext('2d');
  const width = (css) => { ctx.font = css; return corpus.reduce((sum, t) => sum + ctx.measureText(t).width, 0); };
  const out = {};
  for (const [family, local] of Object.entries(families)) {
    out[family] = {};
    for (const [weight, face] of Object.entries(faces)) {
      const localWeight = face === 'bold' ? 700 : 400;
      out[family][weight] = width(`${weight} 100px InterMeasured`) / width(`${localWeight} 100px "${local}"`);
    }
  }
  return out;
}
"""
MEASURE_FAMILIES = {"Inter Fallback": "Liberation Sans", "Inter Fallback DejaVu": "DejaVu Sans"}


def measure() -> None:
    """Print FALLBACKS afresh: needs Chromium (Playwright), Liberation Sans and DejaVu Sans
    (Debian: fonts-liberation, fonts-dejavu-core), and fontTools for the vertical metrics."""
    import base64
    import os

    from fontTools.ttLib import TTFont
    from playwright.sync_api import sync_playwright

    inter = TTFont(INTER_FILE)
    head, hhea = inter["head"], inter["hhea"]
    print(f"# Inter: upm {head.unitsPerEm}, ascent {hhea.ascent}, descent {hhea.descent}, line gap {hhea.lineGap}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                                             args=["--no-sandbox"])
        page = browser.new_page()
        sizes = page.evaluate(MEASURE_PAGE, [base64.b64encode(INTER_FILE.read_bytes()).decode(), MEASURE_FAMILIES,
                                             {str(w): f for w, f in FACE_FOR_WEIGHT.items()}, _corpus()])
        browser.close()
    print("FALLBACKS = {")
    for family, weights in sizes.items():
        print(f'    "{family}": {{' + ", ".join(f"{w}: {s:.4f}" for w, s in weights.items()) + "},")
    print("}")


if __name__ == "__main__":
    if "--measure" in sys.argv[1:]:
        measure()
    else:
        sys.stdout.write(font_face_rules())
