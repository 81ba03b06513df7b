"""Pages as HTML: one Jinja environment per process (templates compiled once, never
reloaded), the variant's template folders first, and JSF-like generated ids."""

from __future__ import annotations

import itertools
import zlib
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from mock_portal import menu, rules
from mock_portal.variants import Variant

STATIC_URL = "/static"
# Found beside this file rather than through importlib: an editable install made before the
# package had its __init__.py maps it as a namespace package, which has no files() root.
PACKAGE = Path(__file__).parent


class JsfIds:
    """Ids the way JSF generates them: stable for a page (or, given the number of the render,
    new at each render), meaningless to a reader, different in another release. Controls
    inside a form are prefixed with the form's id."""

    def __init__(self, page: str, style: str, render: int | None = None) -> None:
        seed = zlib.crc32(page.encode())
        self.view = seed % 9 + 1 if render is None else render
        self.counter = 10 + seed % 40
        self.style = style
        self.form_id: str | None = None

    def _next(self) -> str:
        self.counter += 1
        if self.style == "myfaces":
            return f"_idJsp{self.counter}"
        return f"j_id_id{self.counter}pc{self.view}"

    def form(self) -> str:
        self.counter += 1
        if self.style == "myfaces":
            self.form_id = f"view{self.view}Form{self.counter}"
        else:
            self.form_id = f"j_id_id{self.counter}pc{self.view}"
        return self.form_id

    def end_form(self) -> str:
        self.form_id = None
        return ""

    def control(self) -> str:
        control = self._next()
        return f"{self.form_id}:{control}" if self.form_id else control


class Pages:
    """Renders the variant's templates; every page gets the session's user, CSRF token and
    the menu expanded at the page's place in it."""

    def __init__(self, variant: Variant) -> None:
        root = PACKAGE / "templates"
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(root / name) for name in variant.template_dirs]),
            autoescape=True,
            auto_reload=False,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        env.filters["mmddyyyy"] = rules.mmddyyyy
        env.globals.update(
            menu=menu.MENU, urls=menu, static=STATIC_URL, variant=variant.name,
            stylesheet=f"{STATIC_URL}/{variant.stylesheet}",
            error_icon=f"{STATIC_URL}/error-icon.svg", in_place=variant.in_place)
        self.variant = variant
        self.templates = Jinja2Templates(env=env)
        self.renders = itertools.count(1)

    def _ids(self, template: str) -> JsfIds:
        render = next(self.renders) if self.variant.ids_per_render else None
        return JsfIds(template, self.variant.id_style, render)

    def render(self, request: Request, template: str, *, status: int = 200,
               menu_key: str | None = None, **context: Any) -> Response:
        session = getattr(request.state, "session", None)
        context.update(
            user_id=session.user_id if session else None,
            csrf_token=session.csrf_token if session else context.get("csrf_token", ""),
            menu_key=menu_key,
            ids=self._ids(template),
        )
        context.setdefault("errors", [])
        context.setdefault("notices", [])
        context["error_fields"] = {field for refusal in [*context["errors"],
                                                         *context.get("date_errors", [])]
                                   for field in refusal.fields}
        # Panels hold PHI: never cached, never framed by another site.
        return self.templates.TemplateResponse(
            request, template, context, status_code=status,
            headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                     "X-Content-Type-Options": "nosniff"})

    def render_bare(self, template: str, **context: Any) -> str:
        """A page rendered without a request (the fault middleware's error page)."""
        context.update(user_id=None, csrf_token="", menu_key=None, errors=[], notices=[],
                       error_fields=set(), request=None, ids=self._ids(template))
        return self.templates.get_template(template).render(context)
