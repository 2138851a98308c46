import json, re
import pytest
from django.urls import get_resolver, URLPattern, URLResolver
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db
S = "\ud800"

def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)

def concrete(route):
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<[^>]+>", "x", route)
    return "/" + route

def bodies():
    junk = {"name": S, "email": S + "@acme.test", "first_name": S, "last_name": "x", "display_name": S,
            "entries": [{"email": "a" + S + "@acme.test", "first_name": S}], "q": S, "search": S,
            "extension": S, "number": S, "location": S, "package": S, "package_line": S, "quantity": S,
            "subscription_id": S, "license_type": S, "emails": [S], "users": [S], "ids": [S], "reason": S,
            "confirm": S, "status": S, "role": S, "country": S, "time_zone": S, "address": S, "main_number": S}
    nul = json.loads(json.dumps(junk).replace("\\ud800", "\\u0000"))
    big = {k: 10**30 for k in junk}
    typed = {k: [{"a": [1]}] for k in junk}
    return [("sur", junk), ("nul", nul), ("big", big), ("typed", typed), ("list", [1, 2]), ("str", "x"), ("null", None)]

def html(c):
    c.defaults["HTTP_ACCEPT"] = "text/html"
    return c

def test_api_probe(org_client, partner_client, world):
    out = []
    routes = sorted({concrete(r) for r in walk(get_resolver("partnerhub.urls_tenant").url_patterns) if r.startswith("api/")})
    proutes = sorted({concrete(r) for r in walk(get_resolver("partnerhub.urls_public").url_patterns) if r.startswith("api/")})
    for label, client, rs in (("org", org_client(world.acme, world.ann), routes), ("partner", partner_client(world.alice), proutes), ("orghtml", html(org_client(world.acme, world.ann)), routes), ("phtml", html(partner_client(world.alice)), proutes)):
        for r in rs:
            for q in ["", "?q=%ED%A0%80", "?page=99999999999999999999", "?page=-1&page_size=100000000", "?ordering=%00", "?search=%00&status=%00", "?q=" + "x" * 5000, "?created_after=99999-01-01", "?since=x"]:
                try:
                    resp = client.get(r + q)
                    if resp.status_code >= 500: out.append(f"{resp.status_code} {label} GET {r}{q[:40]}")
                except Exception as e:
                    out.append(f"EXC {label} GET {r}{q[:40]} {type(e).__name__}: {str(e)[:150]}")
            for m in ("post", "put", "patch", "delete"):
                for bl, b in bodies():
                    try:
                        resp = getattr(client, m)(r, data=json.dumps(b), content_type="application/json")
                        if resp.status_code >= 500: out.append(f"{resp.status_code} {label} {m} {r} {bl}")
                    except Exception as e:
                        out.append(f"EXC {label} {m} {r} {bl} {type(e).__name__}: {str(e)[:150]}")
    open("/tmp/a20/api.txt", "w", errors="backslashreplace").write("\n".join(out) + "\n" + "\n".join(routes + proutes))
