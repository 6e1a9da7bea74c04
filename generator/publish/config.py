"""The settings a site owner writes in mkdocs.yml, typed and range-checked by MkDocs itself.

The plugin's options are MkDocs config options, so a wrong value stops the
build with MkDocs' own one-line message (``Config value 'plugins': Plugin
'rheum-evidence' option 'per_page': must be at least 1, got 0``) before
anything is read.  The ranges of the "More like this" options are the
:class:`~generator.derive.related.Limit` of each :class:`~generator.derive.related.RelatedConfig`
field, so they have one home.  Site-wide settings that reach every page's
``<head>`` unescaped (``site_url``, ``site_name``) are checked here too.
"""

from __future__ import annotations

import re
from dataclasses import Field, fields
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from generator.derive.related import Limit, RelatedConfig
from generator.read.confine import PAGES, TEMPLATES
from generator.read.validate import closest

__all__ = [
    "PLAIN_SETTINGS",
    "Bounded",
    "PluginOptions",
    "RelatedOptions",
    "page_settings_problem",
    "plain_setting_problem",
    "settings_problem",
    "site_url_problem",
]

T = TypeVar("T", int, float)

# An address that is safe to print anywhere unquoted: scheme, host, optional port, and a path of unreserved
# characters and percent-escapes.  Anything that would need quoting in HTML, a URL or JavaScript is refused.
_SAFE_PATH = r"(/([A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})*)*"
_MARKUP = re.compile(r'[<>"]')
PLAIN_SETTINGS = ("site_name", "site_description", "site_author")
"""Settings the theme prints into pages unescaped, so they must be plain text."""
_SITE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?" + _SAFE_PATH)


class Bounded(Generic[T], base.BaseConfigOption[T]):
    """A number option that must lie within a :class:`Limit`."""

    def __init__(self, default: T, limit: Limit):
        super().__init__()
        self.default = default
        self.limit = limit

    def run_validation(self, value: object) -> T:
        if problem := self.limit.problem(value):
            raise ValidationError(problem)
        return value  # type: ignore[return-value]


def _bounded(item: Field[Any]) -> Bounded[float]:
    """The option of one :class:`RelatedConfig` field: its default within its :class:`Limit`."""
    if not isinstance(item.default, int | float):
        raise TypeError(f"RelatedConfig.{item.name} needs a number as its default")
    return Bounded(item.default, item.metadata["limit"])


RelatedOptionsConfig: type[base.Config] = type(
    "RelatedOptionsConfig",
    (base.Config,),
    {item.name: _bounded(item) for item in fields(RelatedConfig)},
)
"""The ``related:`` options, one typed option per :class:`RelatedConfig` field."""


class RelatedOptions(c.SubConfig):
    """The ``related:`` mapping; a mistyped name is an error with a suggestion, not a warning."""

    config_class = RelatedOptionsConfig

    def run_validation(self, value: object) -> Any:
        if not isinstance(value, dict):
            raise ValidationError("must be a mapping of option names to numbers, e.g. {count: 5}")
        known = [item.name for item in fields(RelatedConfig)]
        for name in value:
            if name not in known:
                hint = closest(str(name), known)
                tail = f"; did you mean `{hint}`?" if hint else f"; known options: {', '.join(known)}"
                raise ValidationError(f"unknown option `{name}`{tail}")
        return super().run_validation(value)


class PluginOptions(base.Config):
    """Options of the ``rheum-evidence`` plugin in mkdocs.yml."""

    drafts = c.Type(bool, default=False)
    """Build draft studies too (for previews); never on the public site."""
    per_page = Bounded(50, Limit(1, whole=True))
    """Studies per page of a condition, topic or archive listing."""
    home_latest = Bounded(20, Limit(1, whole=True))
    """Studies on the home page."""
    related = RelatedOptions()
    """Weights and limits of "More like this"; see RelatedConfig for the names and defaults."""


def site_url_problem(url: str) -> str | None:
    """Why ``site_url`` cannot be used, or None: an absolute http(s) address with nothing that needs quoting."""
    if _SITE_URL.fullmatch(url) and not urlsplit(url).query:
        return None
    return (
        "site_url must be an absolute http:// or https:// address whose path holds only letters, digits, "
        f"'-', '.', '_', '~', '/' and %-escapes, such as https://example.org/rheum-evidence/; got {url!r}"
    )


def plain_setting_problem(name: str, value: object) -> str | None:
    """Why the setting ``name`` cannot be printed into a page unescaped, or None."""
    if value is None or (isinstance(value, str) and not _MARKUP.search(value) and value.isprintable()):
        return None
    return f'{name} must be plain text on one line, without <, > or "; got {value!r}'


def page_settings_problem(config: Any, site_url: str) -> str | None:
    """The first site setting that would reach a page unescaped or into a script unsafely, or None."""
    if problem := site_url_problem(site_url):
        return problem
    if config.extra.get("scope") is not None:
        return "extra.scope is not supported: the theme prints it into a script; remove it"
    return next(filter(None, (plain_setting_problem(name, config[name]) for name in PLAIN_SETTINGS)), None)


def settings_problem(root: Path, docs_dir: str, custom_dir: str | None) -> str | None:
    """Why MkDocs settings would make it read files that were not checked, or None.

    MkDocs walks ``docs_dir`` itself and copies every file of the theme's
    ``custom_dir``: the first must be ``content/pages``, the second inside ``templates/``.
    """
    if Path(docs_dir).resolve() != (root / PAGES).resolve():
        return "docs_dir must be content/pages, the folder of hand-written pages rheum-evidence checks"
    if custom_dir and not Path(custom_dir).resolve().is_relative_to(root / TEMPLATES):
        return "theme.custom_dir must be inside templates/, the folder rheum-evidence checks"
    return None
