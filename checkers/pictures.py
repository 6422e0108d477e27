"""Pictures: each 2-player witness in payoff space, and the survey matrix.

A witness picture (`<witness>.png`, next to the witness JSON) shows, with
player 1's payoff across and player 2's up:
- the pure outcomes (U_1, U_2) of the witness game, labelled by action pair,
  and their convex hull, shaded: the payoffs reachable by correlated play;
- the Pareto line u_1 + u_2 = M, where a TU value should lie;
- the maximin lines u_1 = maximin_1 and u_2 = maximin_2 (what each player can
  guarantee alone), and, for sub-max witnesses, the max lines;
- the concept's value on the game (a star), on the transformed game(s) (a
  diamond), and what the desideratum requires (a ring), with an arrow from
  the value on the game to the one on the transformed game;
- the transformed game's pure outcomes (crosses) and hull outline;
- the violation sentence as the title.
Drawn with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

import textwrap
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping

from ..specs.games import Game, GameError, format_fraction, to_fraction
from ..specs.witness import game_from_json

__all__ = [
    "witness_picture",
    "witness_figure",
    "draw_witness_pictures",
    "survey_matrix_picture",
    "draw_survey_pictures",
    "picture_path",
]

ORIGINAL_KEYS = ("original", "values", "G")
REQUIRED_KEYS = ("expected",)
# Value vectors of the concept on a transformed or second game (other keys, such
# as symmetry's "identical" player indices or initiative values, are not drawn).
CHANGED_KEYS = ("transformed", "perturbed", "extended", "threat", "parallel", "H", "null-player")
LINE_KEYS = ("maximin", "max")
COLOURS = {
    "counterexample": "#d7301f",
    "proved": "#1a9850",
    "none-found": "#fee08b",
    "n/a": "#f0f0f0",
    "error": "#404040",
}
SYMBOLS = {"counterexample": "✗", "proved": "✓", "none-found": "–", "n/a": "n/a", "error": "error"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def picture_path(witness_path: str | Path) -> Path:
    return Path(witness_path).with_suffix(".png")


def _text(value: Any) -> str:
    return str(value)


def _vector(values: Any) -> tuple[Fraction, Fraction] | None:
    if not isinstance(values, list) or len(values) != 2:
        return None
    try:
        return to_fraction(_text(values[0])), to_fraction(_text(values[1]))
    except GameError:
        return None


def _outcomes(game: Game) -> dict[tuple[Fraction, Fraction], list[str]]:
    """Pure outcome points with the action pairs reaching them."""
    points: dict[tuple[Fraction, Fraction], list[str]] = {}
    for profile in game.profiles():
        point = (game.payoff(0, profile), game.payoff(1, profile))
        label = ",".join(game.actions[i][a] for i, a in enumerate(profile))
        points.setdefault(point, []).append(label)
    return points


def _hull(points: list[tuple[Fraction, Fraction]]) -> list[tuple[Fraction, Fraction]]:
    """Convex hull, counter-clockwise (monotone chain, exact)."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _fmt(point: tuple[Fraction, Fraction]) -> str:
    return f"({format_fraction(point[0])}, {format_fraction(point[1])})"


def _project_null_player(record: Mapping[str, Any], values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """For a null-player witness, the 3-player value vectors without the null
    player's coordinate, and a note per vector giving that coordinate."""
    position = (record.get("transformation") or {}).get("position")
    if record.get("desideratum") != "null-player" or not isinstance(position, int):
        return dict(values), {}
    projected: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for name, vector in values.items():
        if isinstance(vector, list) and len(vector) == 3 and 0 <= position < 3:
            projected[name] = [v for k, v in enumerate(vector) if k != position]
            notes[name] = f"; null player gets {vector[position]}"
        else:
            projected[name] = vector
    if len(notes) and "transformed" in projected:
        projected["null-player"] = projected.pop("transformed")
        notes["null-player"] = notes.pop("transformed")
    return projected, notes


EXTRA_COLOURS = ("#a50f15", "#8c510a", "#3f007d")


def _game_name(name: str, game: Game | None) -> str:
    """'H' for a game titled with one letter (linearity's second game), else 'the <name> game'."""
    title = game.title if game is not None else ""
    if len(name) == 1:
        return name
    if title and len(title) == 1:
        return title
    return f"the {name} game"


def _is_other_game(name: str, game: Game | None) -> bool:
    """A second game (not a transformation of G): no arrow from G's value to its value."""
    return _game_name(name, game) == "H"


def _statement(desideratum_id: str) -> str:
    from ..specs.desiderata.registry import DESIDERATA

    found = DESIDERATA.get(desideratum_id)
    return found.statement if found is not None else ""


def witness_picture(record: Mapping[str, Any], path: str | Path) -> Path | None:
    """Draw one witness (a parsed witness JSON object) into `path` (PNG).
    None, drawing nothing, when the witness game does not have 2 players."""
    fig = witness_figure(record)
    if fig is None:
        return None
    path = Path(path)
    fig.savefig(path, format="png")
    _pyplot().close(fig)
    return path


def witness_figure(record: Mapping[str, Any]) -> Any:
    """The matplotlib figure of a 2-player witness (None for other games)."""
    from ..specs.concepts.basic import max_payoff, maximin_value, total_surplus

    try:
        game = game_from_json(record["game"])
    except (KeyError, GameError):
        return None
    if game.n_players != 2:
        return None
    plt = _pyplot()
    concept = record.get("concept", "?")
    desideratum = record.get("desideratum", "?")
    values = record.get("values", {}) or {}
    extra: dict[str, Game] = {}
    for name, data in (record.get("extra_games") or record.get("transformed_games") or {}).items():
        try:
            other = game_from_json(data)
        except GameError:
            continue
        if other.n_players == 2:
            extra[name] = other

    fig, ax = plt.subplots(figsize=(11.5, 7.0), dpi=100)
    everything: list[tuple[Fraction, Fraction]] = []

    # The feasible set and the pure outcomes of the witness game.
    outcomes = _outcomes(game)
    hull = _hull(list(outcomes))
    everything += list(outcomes)
    if len(hull) >= 3:
        ax.fill([float(x) for x, _ in hull], [float(y) for _, y in hull], color="#9ecae1", alpha=0.45,
                label="feasible set of G without transfers (hull of pure outcomes)", zorder=1)
    elif len(hull) == 2:
        ax.plot([float(x) for x, _ in hull], [float(y) for _, y in hull], color="#6baed6", lw=6, alpha=0.5,
                label="feasible set of G (a segment)", zorder=1, solid_capstyle="round")
    xs = [float(x) for x, _ in outcomes]
    ys = [float(y) for _, y in outcomes]
    ax.scatter(xs, ys, s=55, color="#08519c", zorder=4, label="pure outcomes of G (action pairs)")
    for point, labels in outcomes.items():
        text = "; ".join(f"({label})" for label in labels[:3]) + (" …" if len(labels) > 3 else "")
        ax.annotate(text, (float(point[0]), float(point[1])), textcoords="offset points", xytext=(6, 6),
                    fontsize=8, color="#08519c", zorder=6)

    # The transformed game(s).
    markers = ["x", "+", "1", "2"]
    for k, (name, other) in enumerate(extra.items()):
        pts = _outcomes(other)
        extra_only = [p for p in pts if p not in outcomes]
        everything += list(pts)
        if extra_only:
            ax.scatter([float(x) for x, _ in extra_only], [float(y) for _, y in extra_only], marker=markers[k % 4],
                       s=70, color=EXTRA_COLOURS[k % 3], zorder=5, label=f"new outcomes of {_game_name(name, other)}")
        other_hull = _hull(list(pts))
        if len(other_hull) >= 3:
            loop = other_hull + other_hull[:1]
            ax.plot([float(x) for x, _ in loop], [float(y) for _, y in loop], ls="--", lw=1, color=EXTRA_COLOURS[k % 3],
                    zorder=2, label=f"hull of {_game_name(name, other)}")

    # Reference lines: maximin, max (for sub-max), Pareto.
    mm = (maximin_value(game, 0), maximin_value(game, 1))
    m = total_surplus(game)
    ax.axvline(float(mm[0]), color="#238b45", ls=":", lw=1.4, zorder=2,
               label=f"maximin lines: u1 = {format_fraction(mm[0])}, u2 = {format_fraction(mm[1])}")
    ax.axhline(float(mm[1]), color="#238b45", ls=":", lw=1.4, zorder=2)
    if desideratum == "submax":
        mx = (max_payoff(game, 0), max_payoff(game, 1))
        ax.axvline(float(mx[0]), color="#ff7f00", ls="-.", lw=1.2, zorder=2,
                   label=f"max lines: u1 = {format_fraction(mx[0])}, u2 = {format_fraction(mx[1])}")
        ax.axhline(float(mx[1]), color="#ff7f00", ls="-.", lw=1.2, zorder=2)

    # The values (a null player's coordinate is dropped and named in the label).
    values, dropped = _project_null_player(record, values)
    original = next((_vector(values[k]) for k in ORIGINAL_KEYS if _vector(values.get(k))), None)
    changed = [(k, _vector(v)) for k, v in values.items()
               if k in CHANGED_KEYS and _vector(v) is not None]
    if len(extra) == 1:  # "transformed" names the one transformed game
        only = next(iter(extra))
        changed = [(only if k == "transformed" else k, v) for k, v in changed]
    required = next((_vector(values[k]) for k in REQUIRED_KEYS if _vector(values.get(k))), None)
    value_points = [p for p in [original, required] + [v for _, v in changed] if p is not None]
    everything += value_points + [mm]

    # Square axis limits (equal scales, so the Pareto line is at 45°) with a margin.
    lo_x = min(float(p[0]) for p in everything)
    hi_x = max(float(p[0]) for p in everything)
    lo_y = min(float(p[1]) for p in everything)
    hi_y = max(float(p[1]) for p in everything)
    half = max(hi_x - lo_x, hi_y - lo_y, 1.0) * 0.5 * 1.3
    centre = ((lo_x + hi_x) / 2, (lo_y + hi_y) / 2)
    ax.set_xlim(centre[0] - half, centre[0] + half)
    ax.set_ylim(centre[1] - half, centre[1] + half)
    ax.set_aspect("equal", adjustable="box")
    ax.axline((0.0, float(m)), slope=-1.0, color="#525252", lw=1, ls="--", zorder=2,
              label=f"Pareto line u1 + u2 = M = {format_fraction(m)}")
    if desideratum in ("symmetry", "payoff-dominance"):
        ax.axline((0.0, 0.0), slope=1.0, color="#984ea3", lw=1, ls="-.", zorder=2,
                  label="u1 = u2 (equal values)" + (": required for identical players" if desideratum == "symmetry" else ""))
    if required is not None:
        ax.scatter([float(required[0])], [float(required[1])], s=260, facecolors="none", edgecolors="#000000",
                   linewidths=2, zorder=7, label=f"required by {desideratum}: {_fmt(required)}{dropped.get('expected', '')}")
    if original is not None:
        ax.scatter([float(original[0])], [float(original[1])], marker="*", s=300, color="#6a3d9a",
                   edgecolors="white", zorder=8, label=f"{concept} on G: {_fmt(original)}")
    for k, (name, point) in enumerate(changed):
        ax.scatter([float(point[0])], [float(point[1])], marker="D", s=110, color=["#e7298a", "#d95f02", "#1b9e77"][k % 3],
                   edgecolors="white", zorder=8,
                   label=f"{concept} on {_game_name(name, extra.get(name))}: {_fmt(point)}{dropped.get(name, '')}")
        if original is not None and point != original and not _is_other_game(name, extra.get(name)):
            ax.annotate("", xy=(float(point[0]), float(point[1])), xytext=(float(original[0]), float(original[1])),
                        arrowprops={"arrowstyle": "->", "color": "#e7298a", "lw": 1.6}, zorder=7)

    players = game.players
    ax.set_xlabel(f"{players[0]}'s payoff u1")
    ax.set_ylabel(f"{players[1]}'s payoff u2")
    ax.grid(True, alpha=0.25)
    title = f"{concept} × {desideratum} ({game.shape_name} witness)"
    sentence = textwrap.fill(str(record.get("violation", "")), 110)
    ax.set_title(f"{title}\n{sentence}", fontsize=9, loc="left")
    statement = _statement(desideratum)
    if statement:
        fig.text(0.01, 0.01, textwrap.fill(f"{desideratum}: {statement}", 160), fontsize=8, style="italic",
                 va="bottom", ha="left", color="#404040")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def draw_witness_pictures(directory: str | Path, index: bool = True, problems: list[str] | None = None) -> list[Path]:
    """A picture for every 2-player witness file in `directory` (redrawn), then
    the index regenerated so it links them. A file that cannot be read or drawn
    is skipped, with one line saying why appended to `problems` (when given)."""
    from ..specs.witness import load_json_file
    from .catalogue import write_index

    written = []
    for path in sorted(Path(directory).glob("*__*.json")):
        try:
            record = load_json_file(path)
            if not isinstance(record, dict) or not ("game" in record or "problem" in record):
                raise GameError(f"{path}: not a witness (a JSON object with 'concept' and 'game')")
            if "game" not in record:
                continue  # a bargaining witness: no game to draw
            game_from_json(record["game"])
            drawn = witness_picture(record, picture_path(path))
        except GameError as error:
            message = str(error)
            if problems is not None:
                problems.append(message if message.startswith(str(path)) else f"{path}: {message}")
            continue
        except (ValueError, KeyError, TypeError, ZeroDivisionError, OverflowError) as error:
            if problems is not None:
                problems.append(f"{path}: cannot draw it: {type(error).__name__}: {error}".splitlines()[0])
            continue
        if drawn is not None:
            written.append(drawn)
    if index:
        write_index(directory)
    return written


def survey_matrix_picture(report: Mapping[str, Any], path: str | Path) -> Path:
    """The survey matrix as a coloured grid: concepts down, desiderata across;
    red ✗ counterexample (with the witness shape), green ✓ proved, yellow –
    none found, grey n/a, black error."""
    from .expect import matrix_of

    plt = _pyplot()
    from matplotlib.colors import to_rgb
    from matplotlib.patches import Patch

    matrix = matrix_of(report)
    concepts = list(report.get("concepts") or dict.fromkeys(c for c, _ in matrix))
    desiderata = list(report.get("desiderata") or dict.fromkeys(d for _, d in matrix))
    cells = {(c.get("concept"), c.get("desideratum")): c for c in report.get("cells", {}).values() if isinstance(c, dict)}
    grid = [[to_rgb(COLOURS.get(matrix.get((c, d), "n/a"), "#ffffff")) for d in desiderata] for c in concepts]
    width = max(6.0, 1.0 + 0.95 * len(desiderata))
    height = max(2.8, 1.6 + 0.5 * len(concepts))
    fig, ax = plt.subplots(figsize=(width, height), dpi=110)
    ax.imshow(grid, aspect="auto")
    for r, c in enumerate(concepts):
        for k, d in enumerate(desiderata):
            outcome = matrix.get((c, d))
            if outcome is None:
                continue
            text = SYMBOLS[outcome]
            if outcome == "counterexample" and cells.get((c, d), {}).get("shape"):
                text += "\n" + cells[(c, d)]["shape"]
            ax.text(k, r, text, ha="center", va="center", fontsize=8,
                    color="white" if outcome in ("counterexample", "error") else "black")
    ax.set_xticks(range(len(desiderata)), desiderata, rotation=40, ha="right", fontsize=8)
    ax.set_yticks(range(len(concepts)), concepts, fontsize=8)
    ax.set_xticks([x - 0.5 for x in range(1, len(desiderata))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(concepts))], minor=True)
    ax.grid(which="minor", color="white", lw=2)
    ax.tick_params(which="minor", length=0)
    settings = report.get("settings", {})
    scope = f"shapes {', '.join(settings.get('shapes', []))}, payoffs in [−{settings.get('bound', '?')}, {settings.get('bound', '?')}]"
    ax.set_title(f"bargaincheck survey: {scope}", fontsize=10, loc="left")
    meaning = {
        "counterexample": "✗ counterexample (minimal witness shape)",
        "proved": "✓ proved on bounded games (SMT)",
        "none-found": "– none found (not a proof)",
        "n/a": "n/a: the pair does not apply",
        "error": "error while checking",
    }
    legend = [Patch(color=COLOURS[k], label=meaning[k]) for k in meaning]
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, format="png")
    plt.close(fig)
    return path


def _link_matrix_picture(markdown: Path) -> None:
    """Show survey.png in survey.md, just above the matrix table."""
    from ..specs.fileio import atomic_write_text

    if not markdown.exists():
        return
    text = markdown.read_text(encoding="utf-8")
    if "](survey.png)" in text:
        return
    marker = "\n| concept |"
    at = text.find(marker)
    if at < 0:
        return
    text = text[:at] + "\n![The survey matrix at a glance](survey.png)\n" + text[at:]
    atomic_write_text(markdown, text)


def draw_survey_pictures(
    out: str | Path, catalogue: str | Path | None = None, problems: list[str] | None = None
) -> list[Path]:
    """survey.png from out/survey.json, the witness pictures of
    out/counterexamples (and of `catalogue`), and the indexes relinked; files
    that cannot be read are reported in `problems` (see draw_witness_pictures)."""
    from ..specs.witness import load_json_file

    out = Path(out)
    written = []
    report_path = out / "survey.json"
    report = load_json_file(report_path) if report_path.exists() else None
    if report is not None and not isinstance(report, dict):
        raise GameError(f"{report_path}: not a survey report (a JSON object with 'cells')")
    if report and report.get("cells"):  # a bargaining-only survey has no TU matrix to draw
        if not isinstance(report["cells"], dict):
            raise GameError(f"{report_path}: 'cells' is not an object")
        written.append(survey_matrix_picture(report, out / "survey.png"))
        _link_matrix_picture(out / "survey.md")
    if (out / "counterexamples").is_dir():
        written += draw_witness_pictures(out / "counterexamples", problems=problems)
    if catalogue is not None and Path(catalogue).is_dir():
        written += draw_witness_pictures(catalogue, problems=problems)
    return written
