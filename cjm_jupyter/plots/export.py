"""Save plots as standalone HTML, PNG or SVG files that work offline.

:func:`save_html` needs nothing but Bokeh: BokehJS is written *inline* into
the page (about 4 MB), so the file opens without a network connection.

:func:`export_png` and :func:`export_svg` draw the plot in a headless
Chromium driven by Selenium and Bokeh's own exporters (which size, crop and
serialize the layout). They need Chromium with its matching ChromeDriver and
the ``selenium`` package::

    apt-get install chromium chromium-driver     # Debian / Ubuntu
    pip install "cjm_jupyter[export]"

Elsewhere point ``CJM_CHROMIUM`` and ``CJM_CHROMEDRIVER`` at a Chromium (or
Chrome) binary and the ChromeDriver of the same version. Nothing is ever
downloaded: without them the exporters raise :class:`ExportUnavailableError`.

Every file is written atomically: a failing export leaves an existing file as
it was. Each takes ``theme=`` ("light", "dark" or "auto"; default: the one of
:func:`~.theme.set_theme`). An HTML page in "auto" follows the theme marker of
the page it is embedded in (JupyterLab's ``data-jp-theme-light``) and is light
on its own; a PNG or SVG has no page, so "auto" draws it light.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bokeh.core.templates import FILE, get_env
from bokeh.embed import file_html
from bokeh.models import LayoutDOM, Plot
from bokeh.models.ui import UIElement
from bokeh.resources import INLINE

from ..io.atomic import atomic_file
from ..model import Journey
from ._dark import DARK_BACKGROUND
from ._themed import themed
from .theme import _checked, get_theme

if TYPE_CHECKING:
    from jinja2 import Template
    from selenium.webdriver.remote.webdriver import WebDriver

__all__ = [
    "CHROMIUM_FLAGS",
    "ExportUnavailableError",
    "save_html",
    "export_png",
    "export_svg",
]

#: Flags for every headless Chromium the project starts (exports and tests):
#: no sandbox (root in containers), no GPU, and no background traffic at all,
#: so an export works, and is proven to work, on a machine without internet.
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)

#: Where Debian's ``chromium`` and ``chromium-driver`` packages put them.
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMEDRIVER_PATH = "/usr/bin/chromedriver"

_INSTALL_HINT = (
    'install them with "apt-get install chromium chromium-driver" (Debian/Ubuntu) and '
    '"pip install cjm_jupyter[export]", or set CJM_CHROMIUM and CJM_CHROMEDRIVER to a '
    "Chromium binary and the ChromeDriver of the same version"
)


class ExportUnavailableError(RuntimeError):
    """PNG/SVG export needs Chromium, ChromeDriver and selenium, and one is missing.

    Raised by :func:`export_png` and :func:`export_svg` before anything is
    written; the message names what is missing and how to install it. It is a
    ``RuntimeError``, so code that falls back to :func:`save_html` catches it
    without catching a bad argument.

    Parameters
    ----------
    *args : object
        The message, as for any exception.

    Examples
    --------
    >>> err = ExportUnavailableError("PNG/SVG export needs Chromium, which was not found")
    >>> isinstance(err, RuntimeError), str(err)
    (True, 'PNG/SVG export needs Chromium, which was not found')
    """


def _as_model(obj: object, *, image: bool = False) -> UIElement:
    """Return the Bokeh model to save: ``obj`` itself, or the map of a journey.

    An image of a journey prints every card's text in full (``full_text``): a
    PNG or SVG has no hover to show what the map cuts.
    """
    if isinstance(obj, UIElement):
        return obj
    if isinstance(obj, Journey):
        model = obj.plot(full_text=True) if image else obj.plot()
        if isinstance(model, UIElement):
            return model
    raise TypeError(f"expected a Bokeh figure or layout or a Journey, got {type(obj).__name__}")


def _dark_page() -> Template:
    """Bokeh's page template with the dark page colour."""
    return get_env().from_string(
        '{% extends "file.html.jinja" %}{% block preamble %}'
        f"<style>html, body {{ background-color: {DARK_BACKGROUND}; color-scheme: dark; }}</style>"
        "{% endblock %}"
    )


def _mode(theme: str | None, *, page: bool) -> str:
    """Return the theme to draw in: ``theme`` or the current one; "auto" is light without a page."""
    mode = get_theme() if theme is None else _checked(theme)
    return "light" if mode == "auto" and not page else mode


def save_html(
    obj: UIElement | Journey,
    path: str | os.PathLike[str],
    *,
    title: str = "Customer journey map",
    theme: str | None = None,
) -> Path:
    """Save a plot as a standalone HTML page that works offline.

    Parameters
    ----------
    obj : Bokeh figure or layout, or Journey
        What to save; a journey is drawn with ``obj.plot()``.
    path : str or path-like
        The ``.html`` file to write (atomically).
    title : str, default "Customer journey map"
        The page title (HTML-escaped).
    theme : {"light", "dark", "auto"}, optional
        Default: :func:`~.theme.get_theme`. "auto" follows a JupyterLab theme
        marker on the page (``data-jp-theme-light``), light without one.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    TypeError
        ``obj`` is neither a Bokeh model nor a Journey.
    ValueError
        ``theme`` is not "light", "dark" or "auto".

    Examples
    --------
    >>> import os, tempfile
    >>> from bokeh.plotting import figure
    >>> fig = figure(width=200, height=150)
    >>> _ = fig.line([0, 1], [0, 1])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     page = save_html(fig, os.path.join(tmp, "line.html"), title="A line")
    ...     html = page.read_text(encoding="utf-8")
    >>> page.name, "<title>A line</title>" in html, len(html) > 1_000_000  # BokehJS inline
    ('line.html', True, True)

    A journey is saved as its map (``journey.plot()``):
    ``save_html(templates.load("colleen"), "colleen.html")``.
    """
    model = _as_model(obj)
    mode = _mode(theme, page=True)
    # A dark plot on a dark page: no white margin around the layout.
    template = _dark_page() if mode == "dark" else FILE
    with themed(model, mode):
        # Inline resources: the page must render without a network (a CDN page is blank offline).
        html = file_html(model, resources=INLINE, title=str(title), template=template)
    target = Path(path)
    with atomic_file(target) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return target


def _executable(env: str, default: str, names: tuple[str, ...]) -> str | None:
    """``$env`` if set (authoritative), else ``default`` if it exists, else the first of ``names`` on PATH."""
    explicit = os.environ.get(env)
    if explicit:
        return explicit if os.path.isfile(explicit) and os.access(explicit, os.X_OK) else None
    if os.path.isfile(default) and os.access(default, os.X_OK):
        return default
    return next((found for name in names if (found := shutil.which(name))), None)


def _find_browser() -> tuple[str, str]:
    chromium = _executable(
        "CJM_CHROMIUM",
        CHROMIUM_PATH,
        ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"),
    )
    if chromium is None:
        raise ExportUnavailableError(f"PNG/SVG export needs Chromium, which was not found; {_INSTALL_HINT}")
    driver = _executable("CJM_CHROMEDRIVER", CHROMEDRIVER_PATH, ("chromedriver",))
    if driver is None:
        raise ExportUnavailableError(
            f"PNG/SVG export needs ChromeDriver, which was not found; {_INSTALL_HINT}"
        )
    return chromium, driver


@contextmanager
def _webdriver() -> Iterator[WebDriver]:
    """Start a headless Chromium with a fresh profile, quit (and its profile removed) on exit."""
    chromium, driver_path = _find_browser()
    try:
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.chrome.webdriver import WebDriver as Chrome
    except ImportError as exc:
        raise ExportUnavailableError(f"PNG/SVG export needs the selenium package; {_INSTALL_HINT}") from exc

    with tempfile.TemporaryDirectory(prefix="cjm-chromium-", ignore_cleanup_errors=True) as profile:
        options = Options()
        options.binary_location = chromium
        for flag in (
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--force-color-profile=srgb",
            "--window-size=1600,1000",
        ):
            options.add_argument(flag)
        try:
            # An explicit driver path: selenium then never runs Selenium Manager (which downloads).
            driver = Chrome(service=Service(driver_path), options=options)
        except WebDriverException as exc:
            raise ExportUnavailableError(
                f"could not start {chromium} with {driver_path} ({exc.msg or exc}); {_INSTALL_HINT}"
            ) from exc
        try:
            yield driver
        finally:
            driver.quit()


#: Sizing modes that take their width from the page: an image has no page.
_STRETCHING = ("stretch_width", "stretch_both", "scale_width", "scale_both")


@contextmanager
def _fixed_width(model: UIElement) -> Iterator[None]:
    """Draw responsive models at their own ``width`` inside the block only.

    A plot that stretches to the output area (the default of the focused
    plots) would stretch to the exporting browser's window instead: fixed,
    it is drawn at the width it was laid out for (``width``, 960 px for a
    focused plot), and a layout of such plots is as wide as its children.
    """
    found = [m for m in model.select({"type": LayoutDOM}) if isinstance(m, LayoutDOM)]
    stretching = [m for m in found if m.sizing_mode in _STRETCHING]
    before = [m.sizing_mode for m in stretching]
    try:
        for m in stretching:
            m.sizing_mode = None  # Bokeh's default: a plot its width, a layout its children's
        yield
    finally:
        for m, mode in zip(stretching, before, strict=True):
            m.sizing_mode = mode


@contextmanager
def _svg_backend(model: UIElement) -> Iterator[None]:
    """Draw every figure of ``model`` with the SVG backend inside the block only."""
    plots = [plot for plot in model.select({"type": Plot}) if isinstance(plot, Plot)]
    before = [plot.output_backend for plot in plots]
    try:
        for plot in plots:
            plot.output_backend = "svg"
        yield
    finally:
        for plot, backend in zip(plots, before, strict=True):
            plot.output_backend = backend


def export_png(
    obj: UIElement | Journey,
    path: str | os.PathLike[str],
    *,
    width: int | None = None,
    height: int | None = None,
    timeout: int = 30,
    theme: str | None = None,
) -> Path:
    """Save a plot as a PNG image, drawn by a headless Chromium.

    Parameters
    ----------
    obj : Bokeh figure or layout, or Journey
        What to draw; a journey is drawn with ``obj.plot()``.
    path : str or path-like
        The ``.png`` file to write (atomically).
    width, height : int, optional
        Size in pixels; only for a single figure (Bokeh ignores them, with a
        warning, for a layout).
    timeout : int, default 30
        Seconds to wait for the plot to render.
    theme : {"light", "dark", "auto"}, optional
        Default: :func:`~.theme.get_theme`; "auto" draws light (an image has no page theme).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ExportUnavailableError
        Chromium, ChromeDriver or selenium is missing; the message says what to install.
    TypeError
        ``obj`` is neither a Bokeh model nor a Journey (checked before a browser starts).
    ValueError
        ``theme`` is not "light", "dark" or "auto" (checked before a browser
        starts), or the plot rendered as an empty image.

    Examples
    --------
    ``export_png(fig, "plot.png")`` writes ``plot.png`` through a headless
    Chromium (a few seconds). Run here without a browser: the argument checks,
    which come first and leave no file behind.

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     target = os.path.join(tmp, "plot.png")
    ...     try:
    ...         export_png("not a plot", target)
    ...     except TypeError as err:
    ...         print(err)
    ...     os.path.exists(target)
    expected a Bokeh figure or layout or a Journey, got str
    False
    """
    from bokeh.io.export import get_screenshot_as_png

    model = _as_model(obj, image=True)
    mode = _mode(theme, page=False)
    with _webdriver() as driver, themed(model, mode), _fixed_width(model):
        image = get_screenshot_as_png(model, driver=driver, timeout=timeout, width=width, height=height)
    if image.width == 0 or image.height == 0:
        raise ValueError("the plot rendered as an empty image")
    target = Path(path)
    with atomic_file(target) as tmp:
        image.save(tmp, format="PNG", optimize=True)
    return target


def export_svg(
    obj: UIElement | Journey, path: str | os.PathLike[str], *, timeout: int = 30, theme: str | None = None
) -> Path:
    """Save a plot as one SVG image (vector shapes and text), drawn by a headless Chromium.

    Every figure of a layout lands in the one picture. For the export each
    figure is switched to ``output_backend="svg"`` (with the canvas backend
    Bokeh would embed legend glyphs as bitmaps) and switched back afterwards.
    Widgets and ``Div`` text of a layout are HTML, not drawing, and are left out.

    Parameters
    ----------
    obj : Bokeh figure or layout, or Journey
        What to draw; a journey is drawn with ``obj.plot()``.
    path : str or path-like
        The ``.svg`` file to write (atomically, UTF-8).
    timeout : int, default 30
        Seconds to wait for the plot to render.
    theme : {"light", "dark", "auto"}, optional
        Default: :func:`~.theme.get_theme`; "auto" draws light (an image has no page theme).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ExportUnavailableError
        Chromium, ChromeDriver or selenium is missing; the message says what to install.
    TypeError
        ``obj`` is neither a Bokeh model nor a Journey (checked before a browser starts).
    ValueError
        ``theme`` is not "light", "dark" or "auto" (checked before a browser
        starts), or the layout has nothing to draw as SVG.

    Examples
    --------
    ``export_svg(fig, "plot.svg")`` writes ``plot.svg`` through a headless
    Chromium (a few seconds). Run here without a browser: the theme check,
    which comes first and leaves no file behind.

    >>> import os, tempfile
    >>> from bokeh.plotting import figure
    >>> fig = figure(width=200, height=150)
    >>> _ = fig.line([0, 1], [0, 1])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     target = os.path.join(tmp, "plot.svg")
    ...     try:
    ...         export_svg(fig, target, theme="sepia")
    ...     except ValueError as err:
    ...         print(err)
    ...     os.path.exists(target)
    theme must be one of 'light', 'dark', 'auto', not 'sepia'
    False
    """
    from bokeh.io.export import get_svg

    model = _as_model(obj, image=True)
    mode = _mode(theme, page=False)
    with _webdriver() as driver, _svg_backend(model), themed(model, mode), _fixed_width(model):
        svgs = get_svg(model, driver=driver, timeout=timeout)
    if not svgs:
        raise ValueError(f"{type(model).__name__} has nothing to draw as SVG")
    target = Path(path)
    with atomic_file(target) as tmp:
        tmp.write_text(svgs[0], encoding="utf-8")
    return target
