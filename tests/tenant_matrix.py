"""The tenant matrix: one object of every kind per tenant, and every id-taking call generated from the schema and the
REST route tables, so a field or row added later is checked without anyone writing a test for it."""
from __future__ import annotations

import asyncio
import copy
import json
import re
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import msgspec

from domain.db import UnitOfWork, make_engine, make_sessionmaker
from domain.jobs import service as jobs
from domain.pitch import service as pitch
from domain.tenancy import service as tenancy
from tests.factories import HeldDispatcher
from tests.editor import editor_world, variant_world
from tests.flows import FINISH, START, create_asset, put_parts, split, wait_asset
from tests.harness import Subscription, Tenant, gql

# ------------------------------------------------------------------------------------------------ which id is which
# An id's kind comes from its name: `templateId`, `clipIds` -> template, clip; `id` takes the kind of the field or
# input type it belongs to (`deleteClip`, `DeleteSpeakerInput` -> clip, speaker), once verbs and suffixes are off.
# Only names that say otherwise are listed. GLOBAL ids name shared catalog entries (languages) and LABEL ids are free
# grouping labels: neither belongs to a tenant, so neither is probed. A name that maps to no kind of object the
# matrix makes fails it, asking for an entry here, so nothing slips by.
ID_KINDS = {
    "audioId": "asset", "introId": "branding_clip", "outroId": "branding_clip", "videoClipId": "clip",
    "metadataId": "analysis_item", "originalSegmentId": "segment", "externalId": "external_id",
    "CreateAssetInput.externalId": "LABEL",  # a tenant's own label for its new asset, not a lookup
    "nodes.ids": "transcription",  # any kind will do: nodes(ids) takes every Node
    "languageId": "GLOBAL", "languageIds": "GLOBAL", "translationLanguageIds": "GLOBAL",
    "voiceOverLanguageIds": "GLOBAL", "subtitlesLanguageId": "GLOBAL",
    "AssetFilter.collectionId": "LABEL",  # a filter narrows the list: another tenant's collection simply matches none
    # The editor's timeline segments (not transcript segments).
    "SplitSegmentInput.segmentId": "timeline_segment", "TrimSegmentInput.segmentId": "timeline_segment",
    "ColorGradeInput.segmentId": "timeline_segment",
}
OWNER_KINDS = {
    "wordList": "blacklist", "deleteWordList": "blacklist", "WordListInput": "blacklist", "jobUpdated": "job",
    "language": "GLOBAL", "brandingMedia": "overlay", "BrandingMediaInput": "overlay",
    "deleteBrandingMedia": "overlay", "BrandingUploadInput": "overlay", "FinishBrandingUploadInput": "overlay",
    "node": "transcription",  # any kind will do: node(id) and nodes(ids) take every Node
    "deleteSegment": "timeline_segment",
    "generationJob": "job",  # any non-export job
    "timelineExport": "job:TIMELINE_EXPORT",  # an export is its timeline_export job
}
VERBS = re.compile(r"^(admin|delete|save|update|create|start|finish|cancel|get)(?=[A-Z])|(Upload)?(Input|Patch)?$")
# Kinds whose lookup also names a sub-kind in a sibling `kind` enum argument.
KIND_ENUM = {"blacklist": "BLACKLIST", "whitelist": "WHITELIST", "overlay": "OVERLAY", "branding_clip": "CLIP"}
UNPROBED = {"GLOBAL", "LABEL"}
# Named like ids but values the caller makes up, naming nothing stored (a worker's own result number).
NOT_IDS = {"resultId"}

# Fields gated by role before any lookup: a tenant key gets FORBIDDEN whatever the id, which tells it nothing.
ROLE_GATED = {"adminExternalStorage", "submitTaskResult"}
# Documented answers other than NOT_FOUND for a foreign id; each must equal the answer for an id that exists nowhere.
OTHER_ANSWERS = {("createSubmission", "input.audioId"): "VALIDATION_FAILED"}
# Dummies that would fail validation before the id is looked up.
OVERRIDES = {
    "createSubmission": {"input.services": ["Transcribe"], "input.audioName": "x"},
    "addSegments": {"input.segments": [{"startMs": 100, "endMs": 900, "text": "x"}]},
    "createClips": {"input.clips": [{"startMs": 0, "endMs": 1000}]},
    "analyzeVideo": {"input.features": ["SCENES"]},
    "submitTaskResult": {"input.status": "processing"},
    "saveBrandingVariant": {"input.aspectRatio": "1:1"},
    "export": {"input.format": "VTT"},
    **{name: {"input.name": "x"} for name in ("saveTemplate", "saveBranding")},
    "saveWordList": {"input.name": "x", "input.words": ["x"]},
    "saveDictionary": {"input.name": "x", "input.dictionary": {"X": ["x"]}},
    "saveCollection": {"input.name": "x"},
    "saveView": {"input.name": "x", "input.filterParams": [{"field": "text", "value": "x"}]},
}
# Optional ids that name alternatives (export one clip, or subtitles, or metadata): never sent together.
ALTERNATIVES = {"export": {"videoClipId", "transcriptionId", "metadataId"}}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


# ------------------------------------------------------------------------------------------------------ the world
@dataclass
class World:
    """One tenant's objects: ids by kind, plus the strings that must never reach another tenant."""

    tenant: Tenant
    ids: dict[str, str] = field(default_factory=dict)
    kind_enum: dict[str, str] = field(default_factory=dict)  # kind -> its sibling `kind` enum value
    secrets: set[str] = field(default_factory=set)
    paths: dict[str, str] = field(default_factory=dict)  # signed URLs of its files
    language: str = ""  # a catalog language id (shared by all tenants)

    def id(self, kind: str) -> str:
        if kind not in self.ids:
            raise AssertionError(f"the tenant matrix has no object of kind {kind!r}: make one in build_world")
        return self.ids[kind]


def _one(body: dict, root: str, obj: str) -> dict:
    payload = body["data"][root]
    assert payload["errors"] == [], payload
    return payload[obj]


async def _save(client, key: str, root: str, type_: str, obj: str, value: dict) -> str:
    query = (f"mutation($input: {type_}!) {{ {root}(input: $input) {{ errors {{ code message field }} "
             f"{obj} {{ id }} }} }}")
    return _one(await gql(client, key, query, {"input": value}), root, obj)["id"]


@asynccontextmanager
async def held_domain(server, key: str):
    """Domain calls as this key with a dispatcher that holds jobs back: they stay queued, cheap and still."""
    ports = server.runtime.ports
    held = type(ports)(settings=ports.settings, storage=ports.storage, bus=ports.bus, dispatcher=HeldDispatcher(),
                       registry=ports.registry)
    engine = make_engine(server.settings.database_url)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with UnitOfWork(sessionmaker) as uow:
            viewer = await tenancy.authenticate(uow.session, key)

        @asynccontextmanager
        async def unit():
            async with UnitOfWork(sessionmaker) as uow:
                yield uow
        yield unit, held, viewer
    finally:
        await engine.dispose()


PIPELINE = """query($id: ID!) { asset(id: $id) { transcriptions { id }
  jobs(first: 50) { edges { node { id kind status } } } clips(first: 50) { edges { node { id status } } } } }"""
ITEMS = "query($a: ID!, $k: AnalysisItemKind!) { analysisItems(assetId: $a, kind: $k) { id } }"
FILES = """query($id: ID!) { asset(id: $id) { original { url } thumbnail { url } audioTracks { id } } }"""
JOB_KINDS = ["PROBE", "TRANSCRIPTION", "TRANSLATION", "TEXT_TRANSLATION", "RETRANSLATION", "VOICE_OVER",
             "VIDEO_ANALYSIS", "MEDIA_ANALYSIS", "CLIP_RENDER", "CLIP_DOWNLOAD", "EXPORT", "BRANDING_UPLOAD",
             "GENERATION"]
JOB_KINDS += ["TIMELINE_EXPORT"]  # the editor's exports (an export is its job)
JOB_KINDS += ["SEARCH_INDEX"]  # an asset's search chunks (re)built


async def _settled(client, key: str, asset_id: str, timeout: float = 300) -> dict:
    """Waits until the asset's pipeline (probe, transcription, analysis, clip renders) has nothing running."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        asset = (await gql(client, key, PIPELINE, {"id": asset_id}))["data"]["asset"]
        nodes = [e["node"] for e in asset["jobs"]["edges"]]
        kinds = {n["kind"] for n in nodes}
        busy = [n for n in nodes if n["status"] in {"QUEUED", "RUNNING"}]
        clips = [e["node"] for e in asset["clips"]["edges"]]
        if "VIDEO_ANALYSIS" in kinds and not busy and all(c["status"] in {"READY", "FAILED"} for c in clips):
            return asset
        assert asyncio.get_running_loop().time() < deadline, f"the pipeline did not settle: {nodes}"
        await asyncio.sleep(0.2)


async def build_world(server, client: httpx.AsyncClient, tenant: Tenant, media: dict) -> World:
    """Every kind of object a tenant can own, made by the cheapest path that yields a real id."""
    world = World(tenant)
    key, tag = tenant.key, f"secret-{uuid.uuid4().hex[:10]}"
    world.secrets.add(tag)
    ids = world.ids
    languages = (await gql(client, key, "{ languages { id code } }"))["data"]["languages"]
    world.language = next(lang["id"] for lang in languages if lang["code"] == "en-US")

    external_id = f"{tag}-ext"
    asset = await create_asset(client, key, f"{tag}.mp4", externalId=external_id)
    ids["asset"], ids["external_id"] = asset["id"], external_id
    started = (await gql(client, key, START, {"id": asset["id"], "parts": 1}))["data"]["startUpload"]
    etags = await put_parts(client, [p["url"] for p in started["parts"]], split(media["mp4"], 1))
    assert (await gql(client, key, FINISH, {"id": asset["id"], "etags": etags}))["data"]["finishUpload"]["errors"] == []

    ids["template"] = await _save(client, key, "saveTemplate", "TemplateInput", "template", {"name": f"{tag} t"})
    for kind in ("blacklist", "whitelist"):
        ids[kind] = await _save(client, key, "saveWordList", "WordListInput", "wordList",
                                {"kind": kind.upper(), "name": f"{tag} {kind}", "words": [f"{tag}word"],
                                 "languageId": world.language})
    ids["dictionary"] = await _save(client, key, "saveDictionary", "DictionaryInput", "dictionary",
                                    {"name": f"{tag} d", "dictionary": {"ABBR": [f"{tag} expansion"]}})
    ids["subtitle_style"] = await _save(client, key, "saveSubtitleStyle", "SubtitleStyleInput", "subtitleStyle",
                                        {"name": f"{tag} style", "fontFamily": "dejavu sans", "textColor": "#FFFFFF"})
    ids["overlay"] = await _save(client, key, "saveBrandingMedia", "BrandingMediaInput", "media",
                                 {"kind": "OVERLAY", "name": f"{tag} logo", "filename": "logo.png"})
    ids["branding_clip"] = await _save(client, key, "saveBrandingMedia", "BrandingMediaInput", "media",
                                       {"kind": "CLIP", "name": f"{tag} intro", "filename": "intro.mp4"})
    ids["branding"] = await _save(client, key, "saveBranding", "BrandingInput", "branding",
                                  {"name": f"{tag} branding", "subtitleStyleId": ids["subtitle_style"]})
    ids["branding_variant"] = await _save(client, key, "saveBrandingVariant", "BrandingVariantInput", "variant",
                                          {"brandingId": ids["branding"], "aspectRatio": "16:9"})
    ids["collection"] = await _save(client, key, "saveCollection", "CollectionInput", "collection",
                                    {"name": f"{tag} collection", "templateId": ids["template"]})
    ids["view"] = await _save(client, key, "saveView", "ViewInput", "view", {"name": f"{tag} view", "filterParams": [
        {"field": "text", "operator": "contains", "value": tag}]})
    ids["external_storage"] = await _save(client, key, "saveExternalStorage", "ExternalStorageInput",
                                          "externalStorage", {"name": f"{tag} storage", "type": "DUMMY"})

    await wait_asset(client, key, asset["id"])
    clips = _one(await gql(client, key, """mutation($a: ID!) { createClips(input: {assetId: $a, clips: [
        {startMs: 0, endMs: 1000}]}) { errors { code message field } clips { id } } }""", {"a": asset["id"]}),
                 "createClips", "clips")
    ids["clip"] = clips[0]["id"]
    ids["speaker"] = _one(await gql(client, key, """mutation($a: ID!, $n: String!) { createSpeaker(input:
        {assetId: $a, name: $n}) { errors { code message field } speaker { id } } }""",
                                    {"a": asset["id"], "n": f"{tag} speaker"}), "createSpeaker", "speaker")["id"]
    settled = await _settled(client, key, asset["id"])
    ids["transcription"] = settled["transcriptions"][0]["id"]
    text = f"{tag} said this"
    transcription = _one(await gql(client, key, """mutation($t: ID!, $x: String!) { addSegments(input:
        {transcriptionId: $t, segments: [{startMs: 100, endMs: 900, text: $x}]}) {
        errors { code message field } transcription { segments { id text } } } }""",
                                   {"t": ids["transcription"], "x": text}), "addSegments", "transcription")
    ids["segment"] = next(s["id"] for s in transcription["segments"] if s["text"] == text)
    for item_kind in ("METADATA", "CAMERA_SHOT", "SOUND_DESCRIPTION", "AUTOCENTER", "FACE"):
        items = (await gql(client, key, ITEMS, {"a": asset["id"], "k": item_kind}))["data"]["analysisItems"]
        if items:
            ids[f"analysis_item:{item_kind}"] = items[0]["id"]
    metadata = next(k for k in ids if k.startswith("analysis_item:"))
    ids["analysis_item"] = ids[metadata]
    world.kind_enum["analysis_item"] = metadata.split(":")[1]
    files = (await gql(client, key, FILES, {"id": asset["id"]}))["data"]["asset"]
    ids["audio_track"] = files["audioTracks"][0]["id"]
    world.paths.update(original=files["original"]["url"], thumbnail=files["thumbnail"]["url"])

    # Jobs of every kind and a MediaPitch task, held queued: a cancel or a report by another tenant would show.
    async with held_domain(server, key) as (unit, held, viewer):
        for kind in JOB_KINDS:
            async with unit() as uow:
                job = await jobs.create(uow, held, viewer, kind=kind.lower(), asset_id=uuid.UUID(asset["id"]),
                                        label=f"{tag} job")
                ids[f"job:{kind}"] = str(job.id)
        async with unit() as uow:
            submission, task = await pitch.submit(uow, held, viewer, pitch.SubmissionRequest(
                audio_name=f"{tag} call", services=["Transcribe"], audio_id=asset["id"]))
            ids["submission"], ids["task"] = str(submission.id), str(task.id)
    ids["job"] = ids["job:TRANSCRIPTION"]
    async with held_domain(server, key) as (unit, held, viewer), unit() as uow:
        ids["project"], ids["timeline_segment"] = await editor_world(uow, viewer, asset["id"], tag)
        ids["variant"] = await variant_world(uow, viewer, ids["project"], ids["timeline_segment"], tag)
    return world


# ------------------------------------------------------------------------------------------------------- snapshots
SNAPSHOT_GETTERS = {
    # kind: (query field, arguments from the world)
    "asset": ("asset", lambda w: {"id": w.id("asset")}),
    "audio_track": ("audioTrack", lambda w: {"assetId": w.id("asset"), "id": w.id("audio_track")}),
    "transcription": ("transcription", lambda w: {"id": w.id("transcription")}),
    "template": ("template", lambda w: {"id": w.id("template")}),
    "blacklist": ("wordList", lambda w: {"kind": "BLACKLIST", "id": w.id("blacklist")}),
    "whitelist": ("wordList", lambda w: {"kind": "WHITELIST", "id": w.id("whitelist")}),
    "dictionary": ("dictionary", lambda w: {"id": w.id("dictionary")}),
    "submission": ("submission", lambda w: {"id": w.id("submission")}),
    "analysis_item": ("analysisItem", lambda w: {"assetId": w.id("asset"), "kind": w.kind_enum["analysis_item"],
                                                 "id": w.id("analysis_item")}),
    "subtitle_style": ("subtitleStyle", lambda w: {"id": w.id("subtitle_style")}),
    "overlay": ("brandingMedia", lambda w: {"kind": "OVERLAY", "id": w.id("overlay")}),
    "branding_clip": ("brandingMedia", lambda w: {"kind": "CLIP", "id": w.id("branding_clip")}),
    "branding": ("branding", lambda w: {"id": w.id("branding")}),
    "branding_variant": ("brandingVariant", lambda w: {"brandingId": w.id("branding"),
                                                       "id": w.id("branding_variant")}),
    "clip": ("clip", lambda w: {"id": w.id("clip")}),
    "external_storage": ("externalStorage", lambda w: {"id": w.id("external_storage")}),
    **{f"job:{k}": ("job", (lambda kind: lambda w: {"id": w.id(f"job:{kind}")})(k)) for k in JOB_KINDS},
    "task": ("job", lambda w: {"id": w.id("task")}),
    "account": ("account", lambda w: {}),  # credits and notification email: a task report by another would show
    "project": ("project", lambda w: {"id": w.id("project")}),
    "timeline_segment": ("timelineSegment", lambda w: {"id": w.id("timeline_segment")}),
    "variant": ("variant", lambda w: {"variantId": w.id("variant")}),
    "collection": ("collection", lambda w: {"id": w.id("collection")}),
    "view": ("view", lambda w: {"id": w.id("view")}),
}
VOLATILE = re.compile(r"url|expires", re.I)


class Schema:
    """The introspected schema, and GraphQL built from it."""

    def __init__(self, introspection: dict):
        self.types = {t["name"]: t for t in introspection["types"]}
        self.roots = {"query": introspection["queryType"]["name"], "mutation": introspection["mutationType"]["name"],
                      "subscription": introspection["subscriptionType"]["name"]}

    @staticmethod
    def named(ref: dict) -> dict:
        while ref["kind"] in ("NON_NULL", "LIST"):
            ref = ref["ofType"]
        return ref

    @staticmethod
    def spelled(ref: dict) -> str:
        if ref["kind"] == "NON_NULL":
            return Schema.spelled(ref["ofType"]) + "!"
        if ref["kind"] == "LIST":
            return "[" + Schema.spelled(ref["ofType"]) + "]"
        return ref["name"]

    def selection(self, ref: dict, depth: int = 2) -> str:
        """Every scalar to `depth` levels, skipping fields that need arguments and volatile signed URLs."""
        named = self.types[self.named(ref)["name"]]
        if named["kind"] in ("SCALAR", "ENUM"):
            return ""
        if named["kind"] in ("UNION", "INTERFACE"):
            return "{ __typename }"
        parts = ["__typename"]
        for f in named["fields"]:
            if any(a["type"]["kind"] == "NON_NULL" and a["defaultValue"] is None for a in f["args"]):
                continue
            if VOLATILE.search(f["name"]):
                continue
            inner = self.types[self.named(f["type"])["name"]]
            if inner["kind"] in ("SCALAR", "ENUM"):
                parts.append(f["name"])
            elif depth > 1:
                sub = self.selection(f["type"], depth - 1)
                if sub:
                    parts.append(f"{f['name']} {sub}")
        return "{ " + " ".join(parts) + " }"

    def document(self, op: str, name: str, args: dict) -> tuple[str, dict]:
        """A one-field operation with every argument passed as a variable."""
        root = self.types[self.roots[op]]
        spec = next(f for f in root["fields"] if f["name"] == name)
        declared = {a["name"]: a for a in spec["args"]}
        defs = ", ".join(f"${n}: {self.spelled(declared[n]['type'])}" for n in args)
        call = ", ".join(f"{n}: ${n}" for n in args)
        head = f"{op}({defs})" if defs else op
        return f"{head} {{ {name}{'(' + call + ')' if call else ''} {self.selection(spec['type'])} }}", args


# ------------------------------------------------------------------------------------------------- id slots
@dataclass(frozen=True)
class Slot:
    path: tuple  # from the field's arguments: ("input", "segments", 0, "id")
    kind: str | None  # None: no rule says what it is
    required: bool


def _is_id(name: str, ref: dict) -> bool:
    return Schema.named(ref)["name"] == "ID" or name == "id" or name.endswith(("Id", "Ids"))


def _kind_of(owner: str, name: str, known: set[str]) -> str | None:
    if name == "id":
        kind = OWNER_KINDS.get(owner) or snake(VERBS.sub("", owner[:1].lower() + owner[1:]))
    else:
        kind = ID_KINDS.get(f"{owner}.{name}") or ID_KINDS.get(name) or snake(re.sub(r"Ids?$", "", name))
    return kind if kind in known or kind in UNPROBED else None


def slots(schema: Schema, field_spec: dict, known: set[str]) -> list[Slot]:
    found: list[Slot] = []

    def walk(path: tuple, name: str, ref: dict, owner: str, required: bool, seen: frozenset):
        named = Schema.named(ref)
        is_list = _has_list(ref)
        if named["kind"] == "SCALAR" and _is_id(name, ref) and name not in NOT_IDS:
            found.append(Slot(path + ((0,) if is_list else ()), _kind_of(owner, name, known), required))
        elif named["kind"] == "INPUT_OBJECT" and named["name"] not in seen:
            inner = schema.types[named["name"]]
            for f in inner["inputFields"]:
                walk(path + ((0,) if is_list else ()) + (f["name"],), f["name"], f["type"], named["name"],
                     required and f["type"]["kind"] == "NON_NULL" and f["defaultValue"] is None,
                     seen | {named["name"]})

    for arg in field_spec["args"]:
        walk((arg["name"],), arg["name"], arg["type"], field_spec["name"],
             arg["type"]["kind"] == "NON_NULL" and arg["defaultValue"] is None, frozenset())
    return found


def _has_list(ref: dict) -> bool:
    while ref["kind"] == "NON_NULL":
        ref = ref["ofType"]
    return ref["kind"] == "LIST"


def _dummy(schema: Schema, ref: dict, seen: frozenset = frozenset()):
    """A minimal type-correct value: only required input fields, lists of one."""
    if ref["kind"] == "NON_NULL":
        return _dummy(schema, ref["ofType"], seen)
    if ref["kind"] == "LIST":
        return [_dummy(schema, ref["ofType"], seen)]
    named = schema.types[ref["name"]]
    if named["kind"] == "ENUM":
        return named["enumValues"][0]["name"]
    if named["kind"] == "INPUT_OBJECT":
        return {f["name"]: _dummy(schema, f["type"], seen | {ref["name"]}) for f in named["inputFields"]
                if f["type"]["kind"] == "NON_NULL" and f["defaultValue"] is None}
    return {"String": "x", "Int": 1, "Float": 1.0, "Boolean": False, "JSON": {}, "ID": str(uuid.uuid4()),
            "DateTime": "2020-01-01T00:00:00Z"}.get(ref["name"], "x")


def _set(container, path: tuple, value) -> None:
    for i, step in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(container, list):
            while len(container) <= step:
                container.append({})
            container = container[step]
        else:
            if container.get(step) is None:
                container[step] = [] if isinstance(nxt, int) else {}
            container = container[step]
    last = path[-1]
    if isinstance(container, list):
        while len(container) <= last:
            container.append(None)
    container[last] = value


def _unset(container, path: tuple) -> None:
    for step in path[:-1]:
        container = container[step] if isinstance(container, list) or step in container else None
        if container is None:
            return
    if isinstance(container, dict):
        container.pop(path[-1], None)


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)


@dataclass
class Probe:
    """One generated call: who acts with which ids, and the answers that are right."""

    op: str
    field: str
    slot: str
    args: dict
    allowed: set[str]
    sent: set[str]  # the ids put in the call, which an error message may echo
    foreign: str = ""  # A's id in the probed slot

    def twin(self) -> "Probe":
        """The same call with an id that exists nowhere in place of A's: its answer must be the same."""
        nowhere = str(uuid.uuid4())
        args = json.loads(json.dumps(self.args).replace(self.foreign, nowhere))
        return Probe(self.op, self.field, self.slot, args, self.allowed, self.sent - {self.foreign} | {nowhere},
                     nowhere)


def _value(world: World, kind: str, language: str):
    if kind == "GLOBAL":
        return language
    if kind == "LABEL":
        return str(uuid.uuid4())
    return world.id(kind)


def probes(schema: Schema, a: World, b: World, language: str, unknown: list[str]) -> list[Probe]:
    """Per root field and per id slot: A's id there and B's own ids in B's other slots (`mixed`), and A's id with
    B's required ids only (`alone`). Every answer must be NOT_FOUND (or the documented other answer)."""
    made = []
    for type_ in schema.types.values():  # only root fields are called: a nested field taking an id needs a path here
        if type_["kind"] != "OBJECT" or type_["name"] in schema.roots.values() or type_["name"].startswith("__"):
            continue
        unknown += [f"nested field {type_['name']}.{f['name']}: extend probes() to reach it" for f in type_["fields"]
                    if any(_is_id(a_["name"], a_["type"]) for a_ in f["args"])]
    for op in ("query", "mutation", "subscription"):
        for spec in schema.types[schema.roots[op]]["fields"]:
            found = slots(schema, spec, set(a.ids))
            for s in found:
                if s.kind is None:
                    unknown.append(f"{op} {spec['name']}: {_dotted(s.path)}")
            probed = [s for s in found if s.kind is not None and s.kind not in UNPROBED]
            if not probed or any(s.kind is None for s in found):
                continue
            for target in probed:
                for mode in ("alone", "mixed"):
                    exclusive = ALTERNATIVES.get(spec["name"], set())
                    others = [s for s in found if s is not target and (s.required or s.kind in UNPROBED or (
                        mode == "mixed" and not (target.path[-1] in exclusive and s.path[-1] in exclusive)))]
                    if mode == "mixed" and len(others) == len([s for s in found if s is not target and s.required]):
                        continue  # nothing optional to add: `alone` already is this call
                    args = {a_["name"]: _dummy(schema, a_["type"]) for a_ in spec["args"]
                            if a_["type"]["kind"] == "NON_NULL" and a_["defaultValue"] is None}
                    for path, value in OVERRIDES.get(spec["name"], {}).items():
                        _set(args, tuple(int(p) if p.isdigit() else p for p in path.split(".")), copy.deepcopy(value))
                    for s in found:
                        if s is not target and s not in others:
                            _unset(args, s.path)
                    sent = set()
                    for s, world in [(o, b) for o in others] + [(target, a)]:
                        value = _value(world, s.kind, language)
                        _set(args, s.path, value)
                        sent.add(value)
                        enum = world.kind_enum.get(s.kind) or KIND_ENUM.get(s.kind)
                        if enum and s.path[-1] == "id":  # wordList(kind, id), brandingMedia(kind, id), ...
                            _set(args, s.path[:-1] + ("kind",), enum)
                    foreign = value
                    key = (spec["name"], _dotted(target.path))
                    allowed = {OTHER_ANSWERS.get(key, "NOT_FOUND")}
                    if spec["name"] in ROLE_GATED:
                        allowed.add("FORBIDDEN")
                    made.append(Probe(op, spec["name"], f"{_dotted(target.path)} ({mode})", args, allowed, sent,
                                      foreign))
    return made


INTROSPECTION = """query { __schema { queryType { name } mutationType { name } subscriptionType { name }
  types { kind name enumValues { name }
    fields { name args { name defaultValue type { ...T } } type { ...T } }
    inputFields { name defaultValue type { ...T } } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name
  ofType { kind name } } } } }"""


async def introspect(client, key: str) -> Schema:
    return Schema((await gql(client, key, INTROSPECTION))["data"]["__schema"])


def answer_code(op: str, field_name: str, body: dict) -> str:
    """The code a GraphQL answer carries: a top-level error's, else the payload's first error's, else OK."""
    if body.get("errors"):
        return (body["errors"][0].get("extensions") or {}).get("code") or "GRAPHQL_ERROR"
    value = (body.get("data") or {}).get(field_name)
    if isinstance(value, dict) and value.get("errors"):
        return value["errors"][0]["code"]
    return "OK"


async def run_probe(server, client, schema: Schema, probe: Probe, key: str) -> dict:
    query, variables = schema.document(probe.op, probe.field, probe.args)
    if probe.op != "subscription":
        return await gql(client, key, query, variables, expect_errors=True)
    async with Subscription(server, key, query, variables) as sub:
        message = await sub.next(timeout=10)
    if message["type"] == "error":
        return {"errors": message["payload"]}
    if message["type"] == "complete":
        return {"data": None, "errors": [{"extensions": {"code": "COMPLETE_WITHOUT_ANSWER"}}]}
    return message["payload"]


def same_answer(one: str, other: str, ids: tuple[str, str]) -> bool:
    """Two answers alike but for the id each was asked about: A's object is as absent as one that never was."""
    return one.replace(ids[0], "<id>") == other.replace(ids[1], "<id>")


def leaks(world: World, text: str, sent: set[str]) -> list[str]:
    """A's ids and secret strings found in another tenant's answer (ids the caller sent may be echoed)."""
    for value in sent:
        text = text.replace(value, "")
    found = [s for s in world.secrets if s in text]
    found += [f"{kind} id" for kind, ident in world.ids.items() if ident not in sent and ident in text]
    return found


async def snapshot(client, schema: Schema, world: World) -> dict:
    """Everything the owner reads about each of its objects; None for one it can no longer read."""
    taken = {}
    for kind, (name, arguments) in SNAPSHOT_GETTERS.items():
        query, variables = schema.document("query", name, arguments(world))
        body = await gql(client, world.tenant.key, query, variables, expect_errors=True)
        taken[kind] = (body.get("data") or {}).get(name)
    return taken


# ---------------------------------------------------------------------------------------------------- REST rows
# A path parameter's kind, by the path segment before it where the name alone is too general.
PARAM_KINDS = {  # names that do not say their kind (`asset_id`, `speaker_id`, `task` do)
    "metadata_id": "analysis_item:METADATA", "description_id": "analysis_item:SOUND_DESCRIPTION",
    "style_id": "subtitle_style", "variant_id": "branding_variant", "video_id": "clip", "video_clip_id": "clip",
    "video_clip_ids": "clip", "request_id": "job:MEDIA_ANALYSIS", "external_id": "external_id",
    "language_id": "GLOBAL", "clip_id": "branding_clip", "domain_dictionary_ids": "dictionary",
}
# Query parameters naming tenant objects, where the name alone says otherwise; the rest are probed like path ones.
QUERY_KINDS = {"collection_id": "LABEL"}  # a list filter: another tenant's collection simply matches none
PARAM_CONTEXT = {
    ("transcriptions", "id"): "job:TRANSCRIPTION", ("translations", "id"): "job:TEXT_TRANSLATION",
    ("video-analyses", "id"): "job:VIDEO_ANALYSIS", ("translation_jobs", "job_id"): "job:TRANSLATION",
    ("partial_retranslation_jobs", "job_id"): "job:RETRANSLATION",
    ("process_voice_over_jobs", "job_id"): "job:VOICE_OVER", ("upload_jobs", "job_id"): "job:BRANDING_UPLOAD",
    ("download_async", "job_id"): "job:CLIP_DOWNLOAD", ("async_export", "job_id"): "job:EXPORT",
    ("jobs", "job_id"): "job:MEDIA_ANALYSIS",
    ("segment", "segment_id"): "timeline_segment",
    ("variant", "variant_id"): "variant",  # the editor's generated variants (/api/variant/{variant_id}/...)
    ("export", "export_job_id"): "job:TIMELINE_EXPORT",  # the editor's exports (/api/export/{export_job_id})
}
# Documented answers other than not-found for a foreign id in a body (MediaPitch: "The selected audio id is
# invalid."); each must still equal the answer for an id that exists nowhere.
REST_OTHER_ANSWERS = {("POST", "/api/v1/submissions"): "VALIDATION_FAILED"}
# Rows gated by role before any lookup (FORBIDDEN for every tenant key, whatever the id).
REST_ROLE_GATED = {("GET", "/v1/admin/external_storages/{external_storage_id}"),
                   ("POST", "/api/v1/tasks/{task}/results")}
# Bodies whose minimal form would fail validation before the path id is looked up.
REST_BODIES = {
    ("POST", "/v1/assets/{asset_id}/transcriptions/{transcription_id}/segments"):
        {"segments": [{"text": "x", "start_ms": 100, "end_ms": 900, "speaker": "x"}]},
    ("POST", "/v1/assets/{asset_id}/video_clips"): {"video_clips": [{"start_ms": 0, "end_ms": 1000}]},
    ("POST", "/v1/brandings/{branding_id}/variants"): {"aspect_ratio": "1:1"},
    ("POST", "/api/v1/tasks/{task}/results"): {"status": "processing"},
    ("POST", "/v1/templates"): {"name": "x"},
    ("POST", "/v1/brandings"): {"name": "x"},
    ("POST", "/v1/dictionaries"): {"name": "x", "dictionary": {"X": ["x"]}},
    ("POST", "/api/ai/generate"): {"prompt": "blur", "start_ts": 0.0, "end_ts": 1.0},
    ("POST", "/api/project/{project_id}/preview/frame"): {"ts": 0},
    ("POST", "/api/project/{project_id}/preview/strip"): {"start": 0, "end": 1, "fps": 1},
}


def param_kind(path: str, name: str, known: set[str]) -> str | None:
    segments = path.split("/")
    index = segments.index("{" + name + "}")
    return PARAM_CONTEXT.get((segments[index - 1], name)) or PARAM_KINDS.get(name) or _kind_of("", camel(name), known)


# An `id` field inside a body struct, by the struct's name; body fields whose kind differs from the path's.
BODY_OWNER_KINDS = {"SegmentChangeWithId": "segment",
                    # JSON:API lets a client send `data.id`; the AI Gateway accepts it and names its own jobs.
                    "CreateTranscriptionData": "LABEL", "CreateTranslationData": "LABEL",
                    "CreateVideoAnalysisData": "LABEL"}
BODY_FIELD_KINDS = {"external_id": "LABEL"}  # a new asset's own label, not a lookup


@dataclass
class RestProbe:
    """One generated request by B: A's ids in some places (path or body), B's own in the others."""

    dialect: Any
    row: Any
    path: str
    body: Any
    foreign: set[str]  # A's ids in the request
    sent: set[str]

    def twin(self) -> "RestProbe":
        """The same request with ids that exist nowhere in A's places."""
        fresh = {ident: str(uuid.uuid4()) for ident in self.foreign}
        text = json.dumps([self.path, self.body])
        for old, new in fresh.items():
            text = text.replace(old, new)
        path, body = json.loads(text)
        return RestProbe(self.dialect, self.row, path, body, set(fresh.values()), self.sent)


def rest_probes(dialects, a: World, b: World, unknown: list[str]) -> list[RestProbe]:
    """Per row with a path parameter: all of A's ids; then A's id in one place (a path parameter or a body field
    that names an object) with B's own ids in every other place."""
    made = []
    for dialect in dialects:
        for row in dialect.routes:
            kinds = {name: param_kind(row.path, name, set(a.ids)) for name in row.path_params}
            unknown += [f"{dialect.name} {row.method} {row.path}: {n}" for n, k in kinds.items() if k is None]
            queried = query_kinds(row, set(a.ids))
            unknown += [f"{dialect.name} {row.method} {row.path}: query parameter {n} (name its kind in QUERY_KINDS)"
                        for n, k in queried.items() if k is None]
            template, holes = body_template(row, unknown, set(a.ids))
            if any(k is None for k in [*kinds.values(), *queried.values()]):
                continue
            queried = {n: k for n, k in queried.items() if k not in UNPROBED}
            if not any(k not in UNPROBED for k in [*kinds.values(), *holes.values(), *queried.values()]):
                continue
            places = [("path", n, k) for n, k in kinds.items()] + [("body", h, k) for h, k in holes.items()]
            places += [("query", n, k) for n, k in queried.items()]
            probed = [p for p in places if p[2] not in UNPROBED]
            variants = [{p: a for p in places}]
            if len(places) > 1:
                variants += [{p: (a if p == target else b) for p in places} for target in probed]
            for owners in variants:
                if not any(owners[p] is a for p in probed):
                    continue
                path, body = row.path, template
                chosen, query = {}, {}
                for place, world in owners.items():
                    _, name, kind = place
                    chosen[name] = _value(world, kind, a.language)
                    if place[0] == "path":
                        path = path.replace("{" + name + "}", chosen[name])
                    elif place[0] == "query":
                        query[name] = chosen[name]
                if query:
                    path += "?" + "&".join(f"{n}={v}" for n, v in query.items())
                text = json.dumps(body)
                for hole, value in chosen.items():
                    text = text.replace(f'"{hole}"', json.dumps(value))
                foreign = {chosen[p[1]] for p in probed if owners[p] is a}
                made.append(RestProbe(dialect, row, path, json.loads(text), foreign,
                                      {chosen[p[1]] for p in probed}))
    return made


def query_kinds(row, known: set[str]) -> dict[str, str | None]:
    """The row's query parameters that name objects, and their kinds (probed like path parameters)."""
    if row.query is None:
        return {}
    fields = msgspec.inspect.type_info(row.query).fields
    out = {}
    for f in fields:
        if _is_id_field(f.name):
            kind = QUERY_KINDS.get(f.name) or PARAM_KINDS.get(f.name) or _kind_of("", camel(f.name), known)
            out[f.name] = kind
    return out


def body_template(row, unknown: list[str], known: set[str]):
    """A minimal body of the row's struct (required fields, plus every field naming an object, as holes to fill),
    with the row's override laid over it. Returns (body, {hole: kind})."""
    if row.body is None:
        return None, {}
    holes: dict[str, str] = {}
    body = _struct_value(msgspec.inspect.type_info(row.body), holes, unknown, row, known)
    override = REST_BODIES.get((row.method, row.path))
    if override is not None:
        body = _merge(body, override)
    holes = {h: k for h, k in holes.items() if h in json.dumps(body)}
    return body, holes


def _merge(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        return {**base, **{k: _merge(base.get(k), v) for k, v in over.items()}}
    if isinstance(base, list) and isinstance(over, list):
        return [_merge(base[i] if i < len(base) else None, v) for i, v in enumerate(over)]
    return over


def _is_id_field(name: str) -> bool:
    return (name == "id" or name.endswith(("_id", "_ids"))) and camel(name) not in NOT_IDS


def _struct_value(info, holes: dict, unknown: list[str], row, known: set[str], name: str = "", owner: str = ""):
    mi = msgspec.inspect
    if isinstance(info, mi.UnionType):
        info = next((t for t in info.types if not isinstance(t, mi.NoneType)), info.types[0])
    if isinstance(info, mi.StructType):
        return {f.encode_name: _struct_value(f.type, holes, unknown, row, known, f.name, info.cls.__name__)
                for f in info.fields if f.required or _is_id_field(f.name) or _has_ids(f.type)}
    if isinstance(info, (mi.ListType, mi.SetType, mi.VarTupleType)):
        return [_struct_value(info.item_type, holes, unknown, row, known, name, owner)]
    if _is_id_field(name):
        kind = (BODY_OWNER_KINDS.get(owner) if name == "id" else
                BODY_FIELD_KINDS.get(name) or PARAM_KINDS.get(name) or _kind_of(owner, camel(name), known))
        if kind is None:
            unknown.append(f"{row.method} {row.path}: body field {owner}.{name}")
            return "x"
        hole = f"@hole{len(holes)}@"
        holes[hole] = kind
        return hole
    if isinstance(info, mi.LiteralType):
        return info.values[0]
    return {mi.IntType: 1, mi.FloatType: 1.0, mi.BoolType: False}.get(type(info), "x")


def _has_ids(info, depth: int = 0) -> bool:
    """Whether an optional field holds structs with id fields (a list of clip specs naming brandings)."""
    mi = msgspec.inspect
    if depth > 3:
        return False
    if isinstance(info, mi.UnionType):
        return any(_has_ids(t, depth + 1) for t in info.types)
    if isinstance(info, (mi.ListType, mi.SetType, mi.VarTupleType)):
        return _has_ids(info.item_type, depth + 1)
    if isinstance(info, mi.StructType):
        return any(_is_id_field(f.name) or _has_ids(f.type, depth + 1) for f in info.fields)
    return False
