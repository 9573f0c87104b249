"""What goes to the browser pass, and how (docs/decisions/0013): no timings asserted here.

A page no script can change is judged by the static pass alone; a logo a script adds (at once,
later, from a load handler, inside a frame, drawn on a canvas) is still found; one browser serves
every page of a scan; fonts and media never reach the fetcher.
"""

import pytest

from dxday.lib.http import Policy, SafeFetcher
from dxday.scanner import render
from dxday.scanner.detect import Matcher
from dxday.scanner.page import extract
from dxday.scanner.scan import Scanner
from tests.scanner.corpus.server import CorpusServer, Site
from tests.scanner.corpus.synthetic import page


@pytest.mark.parametrize(("html", "dynamic"), [
    ("<p>Tin tức</p>", []),
    ('<script type="application/ld+json">{"@type": "GovernmentOrganization"}</script>', []),
    ('<a href="/" onclick="go()">Trang chủ</a>', []),
    ('<script src="/js/app.js"></script>', ["script"]),
    ('<script type="module">import "/m.js";</script>', ["script"]),
    ('<body onload="show()"><p>x</p></body>', ["onload handler"]),
    ('<img src="/a.png" onerror="this.src=\'/b.png\'">', ["onerror handler"]),
    ('<meta http-equiv="refresh" content="0; url=/khac">', ["meta refresh"]),
    ('<iframe src="javascript:parent.draw()"></iframe>', ["javascript: frame"]),
    ('<div><template shadowrootmode="open"><img src="/l.png"></template></div>',
     ["declarative shadow root"]),
    ('<svg><use href="/sprite.svg#logo"/></svg>', ["svg drawing from another file"]),
    ('<svg><use href="#logo"/></svg>', []),
])
def test_what_a_script_could_change(html, dynamic):
    assert extract(html, "http://127.0.0.1/")[0].dynamic == dynamic


class CountingRenderer(render.Renderer):
    instances: list = []

    def __enter__(self):
        CountingRenderer.instances.append(self)
        return super().__enter__()


class AskedFetcher(SafeFetcher):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked: list[str] = []

    def fetch(self, url, **kwargs):
        self.asked.append(url)
        return super().fetch(url, **kwargs)


def scan(kit_dir, sites, monkeypatch, *, pages=3):
    CountingRenderer.instances = []
    monkeypatch.setattr(render, "Renderer", CountingRenderer)
    scanner = Scanner(Matcher.from_directory(kit_dir), render=True, concurrency=4,
                      render_pages=pages, policy=Policy(allow_private=True, timeout=5.0))
    scanner.fetcher = AskedFetcher(scanner.policy)
    with CorpusServer(sites) as server:
        try:
            results = scanner.scan(server.urls)
        finally:
            scanner.close()
    return dict(zip([s.name for s in sites], results, strict=True)), scanner.fetcher.asked


def test_a_page_no_script_can_change_never_starts_the_browser(labelled, kit_dir, monkeypatch):
    sites = [s for s in labelled.sites if s.name in ("plain", "hidden", "broken_named",
                                                      "unused_css", "exact")]
    results, _ = scan(kit_dir, sites, monkeypatch)
    assert CountingRenderer.instances == []
    assert results["exact"]["verdict"] == "present"
    for name in ("plain", "hidden", "broken_named", "unused_css"):
        assert results[name]["verdict"] == "absent"
        assert results[name]["evidence"]["dynamic"] == []
        assert results[name]["evidence"]["rendered"] is None


@pytest.mark.slow
def test_logos_added_by_scripts_are_found_with_one_browser(labelled, kit_dir, monkeypatch):
    logo = labelled.kit["logo-mau.png"]
    insert = ("var i=document.createElement('img');i.src='/a/l.png';i.width=180;"
              "document.getElementById('slot').appendChild(i);")
    canvas = ("var c=document.getElementById('c'),x=c.getContext('2d'),i=new Image();"
              "i.onload=function(){x.drawImage(i,0,0,200,200*i.height/i.width);};"
              "i.src='/a/l.png';")
    sites = [
        Site("later", "present", {"/": page('<div id="slot"></div><script>setTimeout('
                                            f'function(){{{insert}}}, 300);</script>'),
                                  "/a/l.png": logo}),
        Site("onload", "present", {"/": page('<div id="slot"></div><img src="/a/none.png" '
                                             f'onerror="{insert}" alt="">'),
                                   "/a/l.png": logo}),
        Site("in_frame", "present", {"/": page('<iframe src="/w/" width="400" height="300">'
                                               '</iframe>'),
                                     "/w/": page(f'<div id="slot"></div><script>{insert}'
                                                 '</script>'),
                                     "/a/l.png": logo}),
        Site("canvas", "present", {"/": page('<canvas id="c" width="220" height="220">'
                                             f'</canvas><script>{canvas}</script>'),
                                   "/a/l.png": logo}),
        Site("scripted_absent", "absent", {
            "/": page('<p id="t"></p><link rel="stylesheet" href="/s.css">'
                      '<video src="/v.mp4" autoplay muted></video>'
                      '<script>document.getElementById("t").textContent="Tin mới";</script>'),
            "/s.css": '@font-face{font-family:R;src:url(/f.woff2)}p{font-family:R}',
            "/f.woff2": b"wOF2", "/v.mp4": b"\0\0\0 ftyp"}),
    ]
    results, asked = scan(kit_dir, sites, monkeypatch)
    assert len(CountingRenderer.instances) == 1  # one browser for every page
    assert CountingRenderer.instances[0].launches == 1
    for site in sites:
        result = results[site.name]
        assert result["verdict"] == site.label, (site.name, result)
        assert result["evidence"]["rendered"], site.name
        assert result["evidence"]["dynamic"], site.name
    assert results["canvas"]["evidence"]["image_url"] == "rendered"
    assert results["canvas"]["evidence"]["rendered"]["screenshot"] == "canvas"
    assert results["in_frame"]["evidence"]["dynamic"] == ["script (frame)"]
    # nothing that cannot hold an image was fetched by the browser pass
    assert not [u for u in asked if u.endswith((".woff2", ".mp4"))]
    assert results["scripted_absent"]["evidence"]["rendered"]["blocked"] >= 2
