"""Every GraphQL list (each field returning a *Connection) costs the same SQL statements for first 1 and first 50."""
from __future__ import annotations

import asyncio
import threading
import uuid

from graphql import get_named_type
from sqlalchemy import event

from app import _create_key
from domain.catalog.models import Collection, View
from domain.assets.models import Asset
from domain.brandings.models import Branding, BrandingMedia, BrandingVariant, SubtitleStyle
from domain.clips.models import Clip
from domain.db import UnitOfWork, make_engine, make_sessionmaker
from domain.editor.models import Project, TimelineSegment
from domain.exports.models import ExportIdentity, ExternalStorage
from domain.jobs.models import Job
from domain.pitch.models import PitchNumber
from domain.templates.models import Dictionary, Template, WordList
from domain.tenancy import service as tenancy
from schema import schema
from tests.harness import gql
from workers import maintenance

MANY = 55  # more than the 50 the bigger page asks for
RATIOS = ("16:9", "9:16", "1:1", "4:5", "4:3")

# The usual nested selection of each node type: what a client lists, with the related objects it shows.
NODES = {
    "Asset": """id filename status audioTracks { id codec } thumbnail { size } original { size }
        jobs(first: 50) { totalCount edges { node { id status asset { id } } } }
        clips(first: 50) { totalCount edges { node { id status job { id } } } }""",
    "Job": "id kind status asset { id filename } parent { id } children { id }",
    "Template": "id name dictionaryIds blacklistIds voiceOverConfig { cloneVoice }",
    "WordList": "id kind name words languageId templateId",
    "Dictionary": "id name dictionary templateId",
    "SubtitleStyle": "id name fontFamily textColor",
    "BrandingMedia": "id kind name url error { code }",
    "Branding": "id name subtitleStyleId variants { id aspectRatio overlayId }",
    "BrandingVariant": "id aspectRatio brandingId overlayId",
    "Clip": "id status url assetId job { id status }",
    "ExternalStorage": "id name type externalId hasAuthenticationData tenantId",
    "AnalysisRequest": "requestId status mediaType categories billedAmount createdAt",
    "Project": "id name status durationS asset { id status } timeline { id startTs endTs source url orderIndex }",
    "PitchTask": "number job { id status label asset { id filename } }",
    "Collection": "id name templateId createdAt",
    "View": "id name createdAt filterParams { field operator value }",
}
# Arguments a root list needs, from the seeded world; "admin" runs it with an admin key.
ARGUMENTS = {
    "wordLists": lambda w: "kind: BLACKLIST",
    "brandingMediaList": lambda w: "kind: OVERLAY",
    "brandingVariants": lambda w: f'brandingId: "{w["branding"]}"',
    "clips": lambda w: f'assetId: "{w["asset"]}"',
}
ADMIN = {"adminExternalStorages"}
# Connections below the root: the root list whose selection pages them.
NESTED = {"Asset.jobs": "assets", "Asset.clips": "assets"}


def connection_fields() -> list[tuple[str, str, str]]:
    """(type, field, node type) of every field returning a connection, read from introspection."""
    found = []
    for type_name, gql_type in schema._schema.type_map.items():
        if type_name.startswith("__") or not hasattr(gql_type, "fields"):
            continue
        for name, field in gql_type.fields.items():
            returned = get_named_type(field.type)
            if returned.name.endswith("Connection"):
                node = get_named_type(get_named_type(returned.fields["edges"].type).fields["node"].type)
                found.append((type_name, name, node.name))
    return found


async def seed(server, key: str) -> dict:
    """MANY rows of every listed kind in one tenant, written directly: these tests read, they do not create."""
    engine = make_engine(server.settings.database_url)
    try:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            tenant = (await tenancy.authenticate(uow.session, key)).tenant_id
            style = SubtitleStyle(id=uuid.uuid4(), tenant_id=tenant, name="style", font_family="DejaVu Sans",
                                  text_color="#ffffff")
            overlay = BrandingMedia(id=uuid.uuid4(), tenant_id=tenant, kind="overlay", name="logo",
                                    filename="logo.png")
            assets = [Asset(id=uuid.uuid4(), tenant_id=tenant, filename=f"a{n}.mp4", status="ready")
                      for n in range(MANY)]
            brandings = [Branding(id=uuid.uuid4(), tenant_id=tenant, name=f"b{n}", subtitle_style_id=style.id)
                         for n in range(MANY)]
            jobs = [Job(id=uuid.uuid4(), tenant_id=tenant, asset_id=a.id, kind=kind)
                    for a in assets for kind in ("probe", "clip_render")]
            first_asset, first_branding = assets[0], brandings[0]
            rest = [ExportIdentity(tenant_id=tenant, external_id=uuid.uuid4().hex)]
            for n in range(MANY):
                rest += [Clip(tenant_id=tenant, asset_id=first_asset.id, job_id=jobs[1].id, start_ms=0, end_ms=1000),
                         Template(tenant_id=tenant, name=f"t{n}"),
                         WordList(tenant_id=tenant, kind="blacklist", name=f"w{n}", words=["x"]),
                         Dictionary(tenant_id=tenant, name=f"d{n}", entries={"AI": ["Artificial Intelligence"]}),
                         SubtitleStyle(tenant_id=tenant, name=f"s{n}", font_family="DejaVu Sans", text_color="#fff"),
                         BrandingMedia(tenant_id=tenant, kind="overlay", name=f"o{n}", filename=f"o{n}.png"),
                         ExternalStorage(tenant_id=tenant, name=f"e{n}", type="aws_s3", destination={"bucket": "b"}),
                         Job(tenant_id=tenant, kind="media_analysis", input={"media_type": "image"}),
                         Job(tenant_id=tenant, kind="region_edit", input={"prompt": f"blur {n}"})]  # aiTimeline
                rest += [Collection(tenant_id=tenant, name=f"c{n}"),
                         View(tenant_id=tenant, name=f"v{n}",
                              filter_params=[{"field": "text", "operator": "contains", "value": f"a{n}"}])]
                task = Job(id=uuid.uuid4(), tenant_id=tenant, asset_id=assets[n].id, kind="submission", label="Transcribe")
                rest += [task, PitchNumber(tenant_id=tenant, kind="task", target_id=task.id)]
                rest += [BrandingVariant(tenant_id=tenant, branding_id=brandings[n].id, aspect_ratio=ratio,
                                         overlay_id=overlay.id) for ratio in (RATIOS if n == 0 else RATIOS[:1])]
            projects = [Project(id=uuid.uuid4(), tenant_id=tenant, name=f"p{n}", asset_id=assets[n].id)
                        for n in range(MANY)]
            rest += [TimelineSegment(tenant_id=tenant, project_id=p.id, asset_id=p.asset_id, start_ms=0, end_ms=1000,
                                     bound_start_ms=0, bound_end_ms=1000, order_index=n)
                     for p in projects for n in range(2)]
            for stage in ([style, overlay, *assets], brandings, jobs, projects, rest):  # rows before the rows naming them
                uow.session.add_all(stage)
                await uow.session.flush()
            await uow.commit()
        return {"asset": str(first_asset.id), "branding": str(first_branding.id)}
    finally:
        await engine.dispose()


def _maintenance(task) -> bool:
    coro = task.get_coro() if task is not None else None
    return getattr(coro, "cr_code", None) is maintenance.run_forever.__code__


async def statements(server, client, key: str, query: str) -> tuple[dict, int]:
    engine = server.runtime.engine.sync_engine
    seen = []

    def listener(*args, **kw):
        # only the request's statements: embedded workers (other threads) may be finishing seeded jobs meanwhile, and
        # the maintenance loop's task on the serving thread sweeps (its DELETEs landed inside a first:1 window)
        if threading.current_thread() is server.thread and not _maintenance(asyncio.current_task()):
            seen.append(args[2])
    event.listen(engine, "before_cursor_execute", listener)
    try:
        body = await gql(client, key, query)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return body, len([s for s in seen if not s.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE"))])


def test_every_connection_field_has_a_fixture():
    fields = connection_fields()
    assert {"assets", "jobs", "templates", "brandings", "clips", "externalStorages"} <= {f for _, f, _ in fields}
    missing = [f"{t}.{f}" for t, f, node in fields
               if node not in NODES or (t != "Query" and f"{t}.{f}" not in NESTED)]
    assert not missing, f"connection fields with no statement-count fixture (add them here): {missing}"
    for path, root in NESTED.items():
        node = next(n for t, f, n in fields if t == "Query" and f == root)
        assert path.split(".")[1] + "(" in NODES[node], f"{root}'s selection does not page {path}"


async def test_first_1_and_first_50_cost_the_same_statements_on_every_list(server, client, tenant):
    admin_key = await _create_key(server.settings, f"admin-{uuid.uuid4().hex[:8]}", True)
    world = await seed(server, tenant.key)
    uneven = {}
    for type_name, field, node in connection_fields():
        if type_name != "Query":
            continue  # nested connections are paged inside their root's selection (NESTED)
        extra = ARGUMENTS.get(field, lambda w: "")(world)
        key = admin_key if field in ADMIN else tenant.key
        counts = {}
        for n in (1, 50):
            args = ", ".join(a for a in (f"first: {n}", extra) if a)
            query = f"{{ {field}({args}) {{ totalCount pageInfo {{ hasNextPage endCursor }} " \
                    f"edges {{ cursor node {{ {NODES[node]} }} }} }} }}"
            # The fewest of three: the maintenance loop (reaper, outbox, reconciler) runs on the serving thread every
            # few seconds, and a sweep's statements can land inside one request's window.
            measured = [await statements(server, client, key, query) for _ in range(3)]
            body, counts[n] = measured[0][0], min(count for _, count in measured)
            page = body["data"][field]
            assert len(page["edges"]) == min(n, page["totalCount"]) and page["totalCount"] > 1, (field, n, page)
        assert counts[1] > 0, (field, "no statement was counted: is the listener on the serving thread?")
        if counts[1] != counts[50]:
            uneven[field] = counts
    assert not uneven, uneven
