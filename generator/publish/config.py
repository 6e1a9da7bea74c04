"""The settings a site owner writes in mkdocs.yml, typed and range-checked by MkDocs itself.

The plugin's options are MkDocs config options, so a wrong value stops the
build with MkDocs' own one-line message (``Config value 'plugins': Plugin
'rheum-evidence' option 'per_page': must be at least 1, got 0``) before
anything is read.  The ranges of the "More like this" options are the
:class:`~generator.derive.related.Limit` of each :class:`~generator.derive.related.RelatedConfig`
field, so they have one home.  Site-wide settings that reach every page's
``<head>`` unescaped (``site_url``, ``site_name``), the folders MkDocs reads
and writes, and the comments settings of ``extra.comments`` are checked here too.
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
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from generator.derive.related import Limit, RelatedConfig
from generator.pipeline import templates_for
from generator.publish.sitefolder import site_dir_problem
from generator.read.confine import PAGES, TEMPLATES
from generator.read.validate import closest
from generator.render.pages import Comments, SiteOptions

__all__ = [
    "COMMENTS_SCRIPT",
    "COMMENT_KEYS",
    "PLAIN_SETTINGS",
    "Bounded",
    "PluginOptions",
    "RelatedOptions",
    "RelatedSettings",
    "check_settings",
    "check_site_dir",
    "comments_setting",
    "page_settings_problem",
    "plain_setting_problem",
    "project_root",
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
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
"""The address pages are made for when mkdocs.yml sets no ``site_url``."""
COMMENT_KEYS = ("repo", "repo_id", "category", "category_id")
"""The giscus settings ``extra.comments`` must give, in the order of :class:`Comments`."""
COMMENTS_SCRIPT = "assets/comments.js"
"""The script that loads giscus, added to ``extra_javascript`` when comments are on."""
WATCHERS = ("native", "polling")
"""The ``serve_watcher`` choices: ``polling`` for folders whose changes the system does not report (Docker, NFS)."""
SOURCES = ("content", "site_data", "templates", "generator")
"""The project's folders a build may not be written over."""
PACKAGE = Path(__file__).resolve().parents[1]
"""The generator package, which a build may not be written over either."""


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


class RelatedSettings(base.Config):
    """The validated ``related:`` options; :data:`RelatedOptionsConfig` gives it one option per field."""

    def related_config(self) -> RelatedConfig:
        """The options as the related-studies engine takes them."""
        return RelatedConfig(**self)


RelatedOptionsConfig: type[RelatedSettings] = type(
    "RelatedOptionsConfig",
    (RelatedSettings,),
    {item.name: _bounded(item) for item in fields(RelatedConfig)},
)
"""The ``related:`` options, one typed option per :class:`RelatedConfig` field."""


class RelatedOptions(c.SubConfig[RelatedSettings]):
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


DRAFTS_REMOVED = (
    "'{}' is no longer an option: `mkdocs serve` shows drafts, marked as drafts, and a build never "
    "includes them; remove it (`preview_drafts: false` previews the published studies only)"
)


class PluginOptions(base.Config):
    """Options of the ``rheum-evidence`` plugin in mkdocs.yml."""

    preview_drafts = c.Type(bool, default=True)
    """`mkdocs serve` shows draft studies, marked as drafts; a build never includes them."""
    serve_watcher = c.Choice(WATCHERS, default="native")
    """How `mkdocs serve` learns of a saved file: from the operating system, or by MkDocs' polling."""
    drafts = c.Deprecated(removed=True, message=DRAFTS_REMOVED)
    per_page = Bounded(50, Limit(1, whole=True))
    """Studies per page of a condition, topic or archive listing."""
    home_latest = Bounded(20, Limit(1, whole=True))
    """Studies on the home page."""
    related = RelatedOptions()
    """Weights and limits of "More like this"; see RelatedConfig for the names and defaults."""

    def site_options(self, config: MkDocsConfig, root: Path, *, preview: bool = False) -> SiteOptions:
        """The choices that shape the pages, from these options and MkDocs' settings.

        Only a ``preview`` (`mkdocs serve`) shows drafts, and only if ``preview_drafts`` says so.

        When ``extra.comments`` turns comments on, their script joins ``extra_javascript``.
        """
        comments = comments_setting(config.extra.get("comments"))
        if comments and COMMENTS_SCRIPT not in config.extra_javascript:
            config.extra_javascript.append(COMMENTS_SCRIPT)
        return SiteOptions(
            drafts=preview and self.preview_drafts,
            site_url=config.site_url or DEFAULT_SITE_URL,
            site_name=config.site_name,
            site_description=config.site_description or "",
            templates_dir=templates_for(root),
            per_page=self.per_page,
            home_latest=self.home_latest,
            comments=comments,
        )


def project_root(config: MkDocsConfig) -> Path:
    """The project folder: the one holding mkdocs.yml."""
    return Path(config.config_file_path).resolve().parent


def check_settings(config: MkDocsConfig, root: Path) -> None:
    """Stop with a :class:`PluginError` at the first MkDocs setting the site cannot be built with."""
    if not config.use_directory_urls:
        raise PluginError("rheum-evidence needs `use_directory_urls: true` in mkdocs.yml")
    if problem := page_settings_problem(config, config.site_url or DEFAULT_SITE_URL):
        raise PluginError(problem)
    if problem := settings_problem(root, config.docs_dir, config.theme.custom_dir):
        raise PluginError(problem)


def check_site_dir(site_dir: Path, root: Path) -> None:
    """Stop with a :class:`PluginError` when ``site_dir`` is a link or would put the build over the sources."""
    sources = {f"{name}/": root / name for name in SOURCES} | {"the generator's code": PACKAGE}
    if problem := site_dir_problem(site_dir, root, sources):
        shown = site_dir.relative_to(root).as_posix() if site_dir.is_relative_to(root) else str(site_dir)
        raise PluginError(f"site_dir `{shown}` {problem}; build into a folder of its own, such as `site`")


def comments_setting(settings: object) -> Comments | None:
    """Giscus settings from ``extra.comments``, or None when comments are off."""
    if not settings:
        return None
    if not isinstance(settings, dict):
        raise PluginError("extra.comments must be a mapping with " + ", ".join(COMMENT_KEYS))
    missing = [key for key in COMMENT_KEYS if not str(settings.get(key) or "").strip()]
    if missing:
        raise PluginError(f"extra.comments is missing: {', '.join(missing)}")
    return Comments(*(str(settings[key]) for key in COMMENT_KEYS))


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
