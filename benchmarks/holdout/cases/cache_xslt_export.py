from pathlib import Path

from flask import Flask, Response, request
from lxml import etree

app = Flask(__name__)
XSL_PATH = Path(__file__).parent / "xsl" / "catalog_to_html.xsl"
TO_HTML = etree.XSLT(etree.parse(str(XSL_PATH)))


@app.post("/catalog/preview")
def preview():
    doc = etree.fromstring(request.get_data())
    transform = etree.XSLT(etree.parse(str(XSL_PATH)))  # expect: L3
    return Response(str(transform(doc)), mimetype="text/html")


@app.post("/v2/catalog/preview")
def preview_v2():
    doc = etree.fromstring(request.get_data())  # expect-none
    return Response(str(TO_HTML(doc)), mimetype="text/html")


def convert_folder(folder: Path, stylesheet: Path) -> None:
    transform = etree.XSLT(etree.parse(str(stylesheet)))  # expect-none
    for src in folder.glob("*.xml"):
        src.with_suffix(".html").write_bytes(etree.tostring(transform(etree.parse(str(src)))))


def convert_each(sources: list[Path]) -> list[bytes]:
    out = []
    for src in sources:
        xslt = etree.XSLT(etree.parse(str(XSL_PATH)))  # expect: L3
        out.append(etree.tostring(xslt(etree.parse(str(src)))))
    return out
