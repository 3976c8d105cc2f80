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
the demo content, letter by letter) in Inter over its width in the fallback.
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
# DejaVu Sans 2.37).
FALLBACKS = {
    "Inter Fallback": {400: 1.0748, 500: 1.0851, 600: 1.0163, 700: 1.0257},
    "Inter Fallback DejaVu": {400: 0.9356, 500: 0.9446, 600: 0.8445, 700: 0.8523},
}
MEASURE_FILES = {
    "Inter Fallback": {"regular": "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
                       "bold": "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"},
    "Inter Fallback DejaVu": {"regular": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                              "bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"},
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


def _corpus() -> str:
    """Medvirk's own bokmål: every msgid of the catalogue and the demo content."""
    import re

    text = [m.group(1) for m in re.finditer(r'^msgid "(.*)"$', (ROOT / "app/translations/messages.pot")
                                            .read_text(encoding="utf-8"), re.M)]
    text.append((ROOT / "app/demo_content.py").read_text(encoding="utf-8"))
    return " ".join(text)


def _average_width(font, counts) -> float:
    cmap, hmtx, upm = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    total = weight = 0
    for char, n in counts.items():
        glyph = cmap.get(ord(char))
        if glyph is None:
            continue
        total += hmtx[glyph][0] / upm * n
        weight += n
    return total / weight


def measure() -> None:
    """Print FALLBACKS afresh (needs fontTools with brotli, and the local fonts named above)."""
    from collections import Counter

    from fontTools.ttLib import TTFont
    from fontTools.varLib.instancer import instantiateVariableFont

    counts = Counter(ch for ch in _corpus() if ch.isprintable())
    inter = TTFont(INTER_FILE)
    head, hhea = inter["head"], inter["hhea"]
    print(f"# Inter: upm {head.unitsPerEm}, ascent {hhea.ascent}, descent {hhea.descent}, line gap {hhea.lineGap}")
    print("FALLBACKS = {")
    for family, files in MEASURE_FILES.items():
        local = {face: TTFont(path) for face, path in files.items()}
        sizes = {}
        for weight, face in FACE_FOR_WEIGHT.items():
            instance = instantiateVariableFont(TTFont(INTER_FILE), {"wght": weight})
            sizes[weight] = _average_width(instance, counts) / _average_width(local[face], counts)
        print(f'    "{family}": {{' + ", ".join(f"{w}: {s:.4f}" for w, s in sizes.items()) + "},")
    print("}")


if __name__ == "__main__":
    if "--measure" in sys.argv[1:]:
        measure()
    else:
        sys.stdout.write(font_face_rules())
