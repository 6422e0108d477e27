"""The `cli-reference` directive: every subcommand and option of the command
line, generated from the argparse parser itself
(`bargaincheck.checkers.cli.build_parser`), so the page cannot drift from it."""

from __future__ import annotations

import argparse

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    """(name, one-line help, parser) of every subcommand, in the parser's order."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            return [(name, helps.get(name, ""), sub) for name, sub in action.choices.items()]
    return []


def _signature(action: argparse.Action) -> str:
    if not action.option_strings:
        return action.metavar or action.dest
    if action.nargs == 0:
        return ", ".join(action.option_strings)
    metavar = action.metavar or action.dest.upper()
    if action.choices:
        metavar = "{" + ",".join(str(c) for c in action.choices) + "}"
    return ", ".join(f"{option} {metavar}" for option in action.option_strings)


def _description(action: argparse.Action) -> str:
    text = action.help or ""
    if action.required and action.option_strings:
        text = (text + " " if text else "") + "(required)"
    shows_default = action.default is not None and action.default is not argparse.SUPPRESS and action.nargs != 0
    if shows_default and "default" not in text:
        text = (text + " " if text else "") + f"(default: {action.default})"
    return text


def _options_list(parser: argparse.ArgumentParser) -> nodes.definition_list:
    items = nodes.definition_list()
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        term = nodes.term()
        term += nodes.literal(text=_signature(action))
        definition = nodes.definition()
        definition += nodes.paragraph(text=_description(action) or "—")
        item = nodes.definition_list_item()
        item += term
        item += definition
        items += item
    return items


class CliReference(SphinxDirective):
    """Usage and options of `bargaincheck` and of each of its subcommands."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from bargaincheck.checkers.cli import build_parser

        parser = build_parser()
        out: list[nodes.Node] = [
            nodes.paragraph(text=parser.description or ""),
            nodes.literal_block(text=parser.format_usage().strip()),
            _options_list(parser),
        ]
        for name, summary, sub in _subcommands(parser):
            rubric = nodes.rubric(text=f"bargaincheck {name}")
            rubric["ids"].append(f"cli-{name}")
            out += [rubric, nodes.paragraph(text=summary[:1].upper() + summary[1:] + "."),
                    nodes.literal_block(text=sub.format_usage().strip()), _options_list(sub)]
        return out


def setup(app):
    app.add_directive("cli-reference", CliReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
