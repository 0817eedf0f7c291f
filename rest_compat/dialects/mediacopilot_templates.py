"""MediaCopilot rows for templates, blacklists, whitelists and dictionaries (five routes each, from one factory)."""
from __future__ import annotations

from typing import Annotated

import msgspec

from rest_compat.dialects.common import Name, Names, Page, connection_list, documented, page_variables
from rest_compat.table import Route


class VoiceOverConfig(msgspec.Struct, forbid_unknown_fields=True):
    clone_voice: bool = False
    mute_original_voice: bool = False


class Template(msgspec.Struct):
    id: str
    name: str
    domain_dictionary_ids: list[str]
    blacklist_ids: list[str]
    whitelist_ids: list[str]
    translation_language_ids: list[str]
    voice_over_language_ids: list[str]
    enabled_ocr: bool
    voice_over_config: VoiceOverConfig
    created_at: str


class WordList(msgspec.Struct):
    id: str
    name: str
    words: list[str]
    language_id: str | None
    template_id: str | None
    created_at: str


class Dictionary(msgspec.Struct):
    id: str
    name: str
    dictionary: dict[str, list[str]]
    template_id: str | None
    created_at: str


Ids = list[str] | str


class TemplateChange(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    domain_dictionary_ids: Ids | None = None
    blacklist_ids: Ids | None = None
    whitelist_ids: Ids | None = None
    translation_language_ids: Ids | None = None
    voice_over_language_ids: Ids | None = None
    enabled_ocr: bool | None = None
    voice_over_config: VoiceOverConfig | None = None


class TemplateCreate(TemplateChange, forbid_unknown_fields=True, kw_only=True):
    name: Name


class WordListChange(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    words: Names | None = None
    language_id: str | None = None
    template_id: str | None = None


class BlacklistCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    words: Names
    language_id: str
    template_id: str | None = None


class WhitelistCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    words: Names
    template_id: str | None = None


class DictionaryChange(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    dictionary: Entries | None = None
    template_id: str | None = None


# Terms (not blank) mapped to their expansions (at least one each), at least one term.
Entries = Annotated[dict[str, Annotated[list[str], documented(minItems=1)]],
                    documented(minProperties=1, propertyNames={"pattern": r"\S"})]


class DictionaryCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    dictionary: Entries
    template_id: str | None = None


class Deleted(msgspec.Struct):
    id: str
    deleted: bool


def _list(value):
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) else value


def template_view(t: dict, call=None) -> dict:
    return {"id": t["id"], "name": t["name"], "domain_dictionary_ids": t["dictionaryIds"],
            "blacklist_ids": t["blacklistIds"], "whitelist_ids": t["whitelistIds"],
            "translation_language_ids": t["translationLanguageIds"], "voice_over_language_ids": t["voiceOverLanguageIds"],
            "enabled_ocr": t["enabledOcr"], "created_at": t["createdAt"],
            "voice_over_config": {"clone_voice": t["voiceOverConfig"]["cloneVoice"],
                                  "mute_original_voice": t["voiceOverConfig"]["muteOriginalVoice"]}}


def word_list_view(w: dict, call=None) -> dict:
    return {"id": w["id"], "name": w["name"], "words": w["words"], "language_id": w["languageId"],
            "template_id": w["templateId"], "created_at": w["createdAt"]}


def dictionary_view(d: dict, call=None) -> dict:
    return {"id": d["id"], "name": d["name"], "dictionary": d["dictionary"], "template_id": d["templateId"],
            "created_at": d["createdAt"]}


def _template_input(body, ident=None) -> dict:
    values = {"id": ident, "name": body.name, "dictionaryIds": _list(body.domain_dictionary_ids),
              "blacklistIds": _list(body.blacklist_ids), "whitelistIds": _list(body.whitelist_ids),
              "translationLanguageIds": _list(body.translation_language_ids),
              "voiceOverLanguageIds": _list(body.voice_over_language_ids), "enabledOcr": body.enabled_ocr,
              "voiceOverConfig": {"cloneVoice": body.voice_over_config.clone_voice,
                                  "muteOriginalVoice": body.voice_over_config.mute_original_voice}
              if body.voice_over_config else None}
    return {"input": values}


def _word_list_input(kind: str):
    def build(body, ident=None) -> dict:
        words = body.words
        return {"input": {"kind": kind.upper(), "id": ident, "name": body.name,
                          "words": _list(words) if isinstance(words, str) else words,
                          "languageId": getattr(body, "language_id", None), "templateId": body.template_id}}

    return build


def _dictionary_input(body, ident=None) -> dict:
    return {"input": {"id": ident, "name": body.name, "dictionary": body.dictionary, "templateId": body.template_id}}


TEMPLATE = "id name dictionaryIds blacklistIds whitelistIds translationLanguageIds voiceOverLanguageIds enabledOcr createdAt voiceOverConfig { cloneVoice muteOriginalVoice }"
WORDS = "id name words languageId templateId createdAt"
DICTIONARY = "id name dictionary templateId createdAt"


def crud(path: str, param: str, label: str, *, one: str, many: str, save: str, field: str, delete: str,
         fields: str, view, response, create, change, to_input, input_type: str, kind: str | None = None) -> list[Route]:
    """The five rows of one resource: create, list, get, update, delete."""
    kind_arg, kind_var = (f", kind: {kind.upper()}", "") if kind else ("", "")
    return [
        Route("POST", path, f"mutation($input: {input_type}!) {{ {save}(input: $input) {{ "
                            f"{field} {{ {fields} }} errors {{ field code message }} }} }}",
              save, lambda v, c: view(v[field]), lambda c: to_input(c.body), body=create, response=response,
              status=201, payload=True, summary=f"Create a {label}"),
        Route("GET", path, f"query($first: Int, $offset: Int!) {{ {many}(first: $first, offset: $offset{kind_arg}) "
                           f"{{ totalCount edges {{ node {{ {fields} }} }} }} }}", many, connection_list(view),
              page_variables, query=Page,
              summary=f"List {label}s"),
        Route("GET", f"{path}/{{{param}}}", f"query($id: ID!) {{ {one}(id: $id{kind_arg}) {{ {fields} }} }}", one, view,
              {"id": f"path.{param}"}, response=response, summary=f"Get a {label}"),
        Route("PATCH", f"{path}/{{{param}}}", f"mutation($input: {input_type}!) {{ {save}(input: $input) {{ "
                                              f"{field} {{ {fields} }} errors {{ field code message }} }} }}",
              save, lambda v, c: view(v[field]), lambda c: to_input(c.body, c.path[param]), body=change,
              response=response, payload=True, summary=f"Update a {label}"),
        Route("DELETE", f"{path}/{{{param}}}", f"mutation($id: ID!) {{ {delete}(id: $id{kind_arg}) {{ deletedId "
                                               f"errors {{ field code message }} }} }}",
              delete, lambda v, c: {"id": v["deletedId"], "deleted": True}, {"id": f"path.{param}"},
              response=Deleted, payload=True, summary=f"Delete a {label}"),
    ]


ROUTES = (
    crud("/v1/templates", "template_id", "template", one="template", many="templates", save="saveTemplate",
         field="template", delete="deleteTemplate", fields=TEMPLATE, view=template_view, response=Template,
         create=TemplateCreate, change=TemplateChange, to_input=_template_input, input_type="TemplateInput")
    + crud("/v1/blacklists", "blacklist_id", "blacklist", one="wordList", many="wordLists", save="saveWordList",
           field="wordList", delete="deleteWordList", fields=WORDS, view=word_list_view, response=WordList,
           create=BlacklistCreate, change=WordListChange, to_input=_word_list_input("blacklist"), kind="blacklist",
           input_type="WordListInput")
    + crud("/v1/whitelists", "whitelist_id", "whitelist", one="wordList", many="wordLists", save="saveWordList",
           field="wordList", delete="deleteWordList", fields=WORDS, view=word_list_view, response=WordList,
           create=WhitelistCreate, change=WordListChange, to_input=_word_list_input("whitelist"), kind="whitelist",
           input_type="WordListInput")
    + crud("/v1/dictionaries", "dictionary_id", "dictionary", one="dictionary", many="dictionaries",
           save="saveDictionary", field="dictionary", delete="deleteDictionary", fields=DICTIONARY,
           view=dictionary_view, response=Dictionary, create=DictionaryCreate, change=DictionaryChange,
           to_input=_dictionary_input, input_type="DictionaryInput")
)
