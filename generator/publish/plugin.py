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

The plugin itself only hands each event to one of four objects: the
command's :class:`~generator.publish.serve.Session` (with a preview's state
for `mkdocs serve`), the :class:`~generator.publish.build.Build` of the last
generation, the :class:`~generator.publish.sitefolder.Publication` of the
build under way, and the pages' :class:`~generator.publish.policy.PagePolicy`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files

from generator.errors import ContentError
from generator.pipeline import generate
from generator.publish.admin import AdminError, PackageMissing, site_admin_files
from generator.publish.build import Build
from generator.publish.cardcache import CARD_CACHE, CardCache
from generator.publish.config import PluginOptions, check_settings, check_site_dir, project_root
from generator.publish.files import add_files, add_generated, date_pages, docs_problems, html_pages
from generator.publish.frames import Frames
from generator.publish.policy import PagePolicy
from generator.publish.problems import nothing_built
from generator.publish.search import PageIndex, SearchIndexError
from generator.publish.serve import Session, watch
from generator.publish.sitefolder import Publication
from generator.read.content import Content
from generator.render.pages import SiteOptions

if TYPE_CHECKING:
    from mkdocs.utils.templates import TemplateContext

__all__ = ["RheumEvidencePlugin"]

log = get_plugin_logger(__name__)

NOT_STARTED = (
    "rheum-evidence publishes the site in on_shutdown: run the plugins' on_startup and on_shutdown "
    "around build(), as `mkdocs build` does"
)


class RheumEvidencePlugin(BasePlugin[PluginOptions]):
    """Generate the study pages, listings and data files of Rheum Evidence."""

    def __init__(self) -> None:
        self.session = Session()
        self.build = Build()
        self.publication: Publication | None = None
        self.policy: PagePolicy | None = None
        self.frames: Frames | None = None
        self.search: PageIndex | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Start the command's session: `mkdocs serve` previews into MkDocs' own temporary folder."""
        self.session = Session.start(command, dirty=dirty)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Check the settings and generate everything before MkDocs touches the site folder; stage a publication."""
        self._discard()  # a build() whose on_shutdown never came
        if not self.session.started:
            raise PluginError(NOT_STARTED)
        root = project_root(config)
        if self.session.preview is not None:
            self.session.preview.start()
        check_settings(config, root)
        if self.session.publishes:
            check_site_dir(Path(config.site_dir), root)
        options = self.config.site_options(config, root, preview=self.session.preview is not None)
        self.build = self._generate(root, config, options)
        if self.session.publishes:
            self.publication = Publication.start(config)  # on_shutdown swaps the staging folder in
        return config

    def _generate(self, root: Path, config: MkDocsConfig, options: SiteOptions) -> Build:
        """Generate everything (reusing a preview's caches), or a preview's last good build if the content broke."""
        preview = self.session.preview
        related = self.config.related.related_config()
        render_cache, study_cache = preview.caches() if preview else (None, None)
        cards = CardCache(root / CARD_CACHE, preview.cards if preview else {})
        try:
            generated = generate(root, options, related, render_cache, study_cache, cards)
        except ContentError as error:
            last = preview.keep_serving(error) if preview else None
            if last is None:
                raise PluginError(nothing_built(error)) from None
            return last
        studies = len(generated.content.visible(drafts=options.drafts))
        log.info("%d studies, %d generated pages", studies, len(generated.pages))
        build = Build.of(generated, options, admin=_admin(root, config, generated.content))
        if preview is not None:
            preview.last = build
        return build

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """A preview's rebuild keeps the last build's files from MkDocs' clean step, to overwrite them in place."""
        if self.session.preview is not None:
            self.session.preview.before_clean(Path(config.site_dir))

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Build exactly the checked hand-written pages, plus the build's pages and files; a preview remembers them."""
        preview = self.session.preview
        if preview is not None:
            preview.after_clean()
        if problems := docs_problems(files, config.docs_dir, self.build.checked):
            if preview is None:
                raise PluginError(nothing_built(ContentError(problems)))
            preview.left_out(ContentError(problems))
        add_generated(files, config, self.build, preview.changed if preview else None)
        html_pages(files, config, self.build)  # their HTML is made: they convert no Markdown
        if preview is not None:
            preview.remember(self.build)
            add_files(files, config, preview.banner_files())
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        """Every page's HTML is made by the generator: the build keeps it and MkDocs converts nothing."""
        return self.build.hold(page.file.src_uri, markdown)

    def on_page_content(self, html: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        """Put the page's HTML, kept by the build, back in place of the (empty) conversion."""
        return self.build.html(page.file.src_uri, html)

    def on_page_context(
        self, context: TemplateContext, /, *, page: Any, config: MkDocsConfig, nav: Any
    ) -> TemplateContext:
        """Hand the build's extra <head> of the page (feed links, structured data) to the theme."""
        # MkDocs types the context with its own keys only, but themes and plugins add theirs.
        head = self.build.head(
            page.file.src_uri,
            page_url=page.canonical_url or "",
            title=page.title or "",
            description=page.meta.get("description"),
        )
        context["extra_head"] = head  # type: ignore[typeddict-unknown-key]
        if self.frames is not None:
            self.frames.page(page, context)  # type: ignore[arg-type]
        return context

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """Date every page for the sitemap; make the pages' policy from the theme's templates; frame generated pages.

        Previews get no policy (`mkdocs serve` injects a script).  ``on_env`` is the last event before MkDocs
        writes sitemap.xml, and every page object exists by then (even those a `--dirty` build skips).
        """
        date_pages(files, self.build)
        if self.session.preview is not None:
            env.bytecode_cache = self.session.preview.templates
        pages = [file.page for file in files.documentation_pages() if file.page is not None]
        self.frames = Frames.install(env, pages, set(self.build.heads))
        features = config.theme.get("features") or []
        preview = self.session.preview
        self.policy = None if preview else PagePolicy(env, features, comments=self.build.comments)
        self._stop_search()
        if preview is None or not preview.indexed(Path(config.site_dir)):
            try:
                self.search = PageIndex.start()  # fed by on_post_page, written by on_post_build
            except SearchIndexError as error:
                raise PluginError(str(error)) from None
        return env

    @event_priority(-100)  # the policy hashes the page's final scripts
    def on_post_page(self, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        """Give every page a Content-Security-Policy that allows only the theme's and the site's scripts.

        A preview's pages get no policy (`mkdocs serve` injects a script) but the problem banner's script,
        and a rebuild leaves the pages that did not change as they are.  Runs after other plugins' handlers.
        """
        if self.search is not None:
            self.search.add("/" + page.url, output)
        preview = self.session.preview
        if preview is not None:
            return preview.output(
                page.file.src_uri, page.file.abs_dest_path, preview.with_banner(output, config.site_url)
            )
        return self.policy.page(output, page) if self.policy else output

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        """The theme's own pages (404.html) get the same policy, or a preview's banner; the sitemap is left alone."""
        if not template_name.endswith(".html"):
            return output_content
        if self.session.preview is not None:
            return self.session.preview.with_banner(output_content, config.site_url)
        return self.policy.error_page(output_content, config.site_url) if self.policy else output_content

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when study files, vocabularies or templates change; publish the first build, not the rebuilds."""
        watch(server, project_root(config), native=self.config.serve_watcher == "native")
        # MkDocs serves only after its first build succeeded: publish that build now, and let rebuilds
        # (`mkdocs serve --clean`) go straight into MkDocs' temporary folder, which no reader relies on.
        self._publish()
        self.session.publishes = False
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the search index of the pages the build fed it (a preview's while it is served already).

        A `--dirty` preview indexes only once, to keep rebuilds quick: its rebuilds render only changed pages.
        """
        search, self.search = self.search, None
        if self.session.preview is not None:
            self.session.preview.after_build(search, Path(config.site_dir))
        elif search is not None:
            try:
                search.write(Path(config.site_dir))
            except SearchIndexError as error:
                raise PluginError(str(error)) from None
        if self.publication is not None:
            self.publication.finished = True

    def on_build_error(self, *, error: Exception) -> None:
        """Discard a failed build (strict-mode warnings included); the previous site stays as it was."""
        self._stop_search()
        if self.session.preview is not None:
            self.session.preview.build_failed()
        self._discard()

    def on_shutdown(self) -> None:
        """Publish the build if MkDocs finished it without error; otherwise the previous site stays."""
        if self.session.preview is not None:
            self.session.preview.wait_for_index()  # before MkDocs removes the preview's folder
        self.session = Session()
        self._publish()

    def _publish(self) -> None:
        """Swap a finished build in, or throw an unfinished one away."""
        if self.publication is not None:
            publication, self.publication = self.publication, None
            publication.publish()

    def _stop_search(self) -> None:
        """Stop the search index of a build that will not finish."""
        if self.search is not None:
            search, self.search = self.search, None
            search.close()

    def _discard(self) -> None:
        """Throw a staged build away; the previous site stays."""
        if self.publication is not None:
            publication, self.publication = self.publication, None
            publication.abort()


def _admin(root: Path, config: MkDocsConfig, content: Content) -> dict[str, bytes]:
    """The browser editor's files; without its Node package, none and a warning (an error in strict mode)."""
    try:
        return site_admin_files(root, config.extra, content)
    except PackageMissing as error:
        log.warning("%s", error)
        return {}
    except AdminError as error:
        raise PluginError(str(error)) from None
