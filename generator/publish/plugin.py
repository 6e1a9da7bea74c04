"""The MkDocs plugin: wires the pipeline into ``mkdocs build`` and ``mkdocs serve``.

Event order matters (see MkDocs' build): everything that can fail because of
content or templates runs in ``on_config``, before MkDocs cleans the site
folder, so a bad file never costs readers the last good site.  Pages are
handed to MkDocs in memory in ``on_files``; nothing generated is written
into the source tree.  The build goes into a staging folder that replaces
the site folder in ``on_shutdown``, once MkDocs has finished without error,
its strict-mode check included: callers of ``mkdocs.commands.build.build``
run the plugins' ``on_startup`` and ``on_shutdown`` around it, as
``mkdocs build`` does.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.utils import get_relative_url

from generator.errors import ContentError
from generator.pipeline import generate
from generator.publish.build import Build
from generator.publish.config import PluginOptions, check_settings, check_site_dir, project_root
from generator.publish.files import add_generated, docs_problems
from generator.publish.search import SEARCH_SUBDIR, SearchIndexError, index_site
from generator.publish.sitefolder import Publication
from generator.read.content import StudyCache
from generator.render.csp import add_policy, theme_script_hashes
from generator.render.pages import GeneratedPage

__all__ = ["RheumEvidencePlugin"]

log = get_plugin_logger(__name__)
serve_log = logging.getLogger("rheum_evidence.serve")
if not serve_log.handlers:
    serve_log.addHandler(logging.StreamHandler())
    serve_log.propagate = False

WATCHED = ("content", "site_data", "templates")
SEARCH_PAGE = "search.md"


class RheumEvidencePlugin(BasePlugin[PluginOptions]):
    """Generate the study pages, listings and data files of Rheum Evidence."""

    def __init__(self) -> None:
        self.serving = self.dirty = False
        self.page_cache: dict[str, GeneratedPage] = {}
        self.study_cache: StudyCache = {}
        self.previous: dict[str, str] = {}
        self.build = Build()
        self.started = self.previewing = False
        self.publication: Publication | None = None
        self.theme_env: Any = None
        self.script_hashes: dict[str, frozenset[str]] = {}  # by the page's base_url

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether we are serving (previews build into MkDocs' own temporary folder)."""
        self.serving = command == "serve"
        self.dirty = dirty
        self.page_cache, self.study_cache, self.previous = {}, {}, {}
        self.started, self.previewing = True, False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load, validate and render everything before MkDocs touches the site folder."""
        self._discard()  # a build() whose on_shutdown never came
        if not self.started:
            raise PluginError(
                "rheum-evidence publishes the site in on_shutdown: run the plugins' on_startup and on_shutdown "
                "around build(), as `mkdocs build` does"
            )
        root = project_root(config)
        check_settings(config, root)
        publishing = not (self.serving or self.previewing)
        if publishing:
            check_site_dir(Path(config.site_dir), root)
        options = self.config.site_options(config, root)
        related = self.config.related.related_config()
        try:
            caches = (self.page_cache, self.study_cache) if self.serving else (None, None)
            generated = generate(root, options, related, *caches)
        except ContentError as error:
            if self.serving and self.build.pages:
                # Raising would stall `mkdocs serve` until the file is fixed; keep serving the last good pages.
                # The messages go to a logger of our own, which strict mode does not count as warnings.
                serve_log.error("%s; still serving the last good version:\n%s", _count(error), error)
                self.build = self.build.again()
                return config
            raise PluginError(_nothing_built(error)) from None
        self.build = Build.of(generated, options)
        studies = len(generated.content.visible(drafts=options.drafts))
        log.info("%d studies, %d generated pages", studies, len(generated.pages))
        if publishing:
            self.publication = Publication.start(config)  # on_shutdown swaps the staging folder in
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Build exactly the checked hand-written pages, and add the generated ones in no hand-written page's place."""
        if problems := docs_problems(files, config.docs_dir, self.build.checked):
            if not self.serving:
                raise PluginError(_nothing_built(ContentError(problems)))
            serve_log.error("%s", ContentError(problems))  # a preview leaves the unchecked files out
        add_generated(files, config, self.build, self._changed if self.serving else None)
        if self.serving:
            current = {id(page) for page in self.build.pages}
            self.page_cache = {key: page for key, page in self.page_cache.items() if id(page) in current}
            self.previous = {page.src: page.text for page in self.build.pages}
        return files

    def _changed(self, page: GeneratedPage) -> bool:
        """Whether `mkdocs serve --dirty` must render ``page`` again."""
        return not (self.dirty and self.previous.get(page.src) == page.text)

    def on_page_markdown(self, markdown: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        """Every page's HTML is made by the generator: the build keeps it and MkDocs converts nothing."""
        return self.build.hold(page.file.src_uri, markdown)

    def on_page_content(self, html: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        """Put the page's HTML, kept by the build, back in place of the (empty) conversion."""
        return self.build.html(page.file.src_uri, html)

    def on_page_context(self, context: dict[str, Any], /, *, page: Any, config: MkDocsConfig, nav: Any) -> dict:
        """Hand the build's extra <head> of the page (feed links, structured data) to the theme."""
        context["extra_head"] = self.build.head(page.file.src_uri)
        return context

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """Keep the theme's template environment: the policy's script hashes are made from its templates."""
        self.theme_env, self.script_hashes = env, {}
        return env

    def on_post_page(self, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        """Give every page a Content-Security-Policy that allows only the theme's and the site's scripts.

        Previews are left without one: `mkdocs serve` injects its live-reload script.
        """
        if self.serving:
            return output
        wasm = page.file.src_uri == SEARCH_PAGE  # Pagefind's index reader is WebAssembly
        return self._with_policy(output, get_relative_url(".", page.url), config, wasm=wasm)

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        """The theme's own pages (404.html) get the same policy; the sitemap is left alone."""
        if self.serving or not template_name.endswith(".html"):
            return output_content
        # MkDocs addresses error pages from the site's root path (see its build of 404.html).
        return self._with_policy(output_content, urlsplit(config.site_url or "/").path, config)

    def _with_policy(self, html: str, base_url: str, config: MkDocsConfig, *, wasm: bool = False) -> str:
        if base_url not in self.script_hashes:
            features = config.theme.get("features") or []
            self.script_hashes[base_url] = theme_script_hashes(self.theme_env, base_url, features)
        return add_policy(html, self.script_hashes[base_url], comments=self.build.comments, wasm=wasm)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when study files, vocabularies or templates change."""
        root = project_root(config)
        for folder in WATCHED:
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        # MkDocs serves only after its first build succeeded: publish that build now, and let rebuilds
        # (`mkdocs serve --clean`) go straight into MkDocs' temporary folder, which no reader relies on.
        self._publish()
        self.previewing = True
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Index the finished build for search; it is published once MkDocs has finished (``on_shutdown``).

        A `mkdocs serve --dirty` preview indexes once, when it starts, to keep
        each rebuild quick; a plain `mkdocs serve` or a build indexes every time.
        """
        site_dir = Path(config.site_dir)
        if self.serving and self.dirty and (site_dir / SEARCH_SUBDIR).is_dir():
            return
        try:
            index_site(site_dir)
        except SearchIndexError as error:
            raise PluginError(str(error)) from None
        if self.publication is not None:
            self.publication.finished = True

    def on_build_error(self, *, error: Exception) -> None:
        """Discard a failed build (strict-mode warnings included); the previous site stays as it was."""
        self._discard()

    def on_shutdown(self) -> None:
        """Publish the build if MkDocs finished it without error; otherwise the previous site stays."""
        self.started = False
        self._publish()

    def _publish(self) -> None:
        """Swap a finished build in, or throw an unfinished one away."""
        if self.publication is not None:
            publication, self.publication = self.publication, None
            publication.publish()

    def _discard(self) -> None:
        """Throw a staged build away; the previous site stays."""
        if self.publication is not None:
            publication, self.publication = self.publication, None
            publication.abort()


def _count(error: ContentError) -> str:
    count = len(error.problems)
    return f"{count} content problem{'s' * (count != 1)}"


def _nothing_built(error: ContentError) -> str:
    return f"{_count(error)}; nothing was built:\n{error}"
