import { describe, expect, it } from "vitest";
import type { ClusterInfo } from "../../provider/connection/types";
import {
  MappingTypesError,
  classifyMappingChange,
  declaredView,
  mappingsForDestination,
  mappingsFromSource,
  overlayMappings,
} from "../../provider/settings";

const ES5: ClusterInfo = { flavor: "elasticsearch", version: "5.6.16", major: 5, minor: 6 };
const ES6: ClusterInfo = { flavor: "elasticsearch", version: "6.8.23", major: 6, minor: 8 };
const ES7: ClusterInfo = { flavor: "elasticsearch", version: "7.10.2", major: 7, minor: 10 };
const OS2: ClusterInfo = { flavor: "opensearch", version: "2.19.1", major: 2, minor: 19 };

const props = { properties: { title: { type: "text" }, ts: { type: "date" } } };

describe("mappingsFromSource", () => {
  it.each([
    ["7.x into OpenSearch: as is", props, ES7, OS2, props],
    ["6.x single `_doc` type into 7.x: unwrapped", { _doc: props }, ES6, ES7, props],
    ["6.x custom type name into OpenSearch: unwrapped", { tweet: props }, ES6, OS2, props],
    ["an index without mappings", {}, ES6, ES7, {}],
    [
      "5.x type plus _default_: the _default_ is ignored",
      { _default_: { dynamic: "strict" }, doc: props },
      ES5,
      ES7,
      props,
    ],
    [
      "6.x _all and include_in_all are removed",
      { _doc: { _all: { enabled: false }, properties: { t: { type: "text", include_in_all: false } } } },
      ES6,
      ES7,
      { properties: { t: { type: "text" } } },
    ],
  ])("%s", (_name, source, from, to, expected) => {
    expect(mappingsFromSource("idx", source, from, to).mappings).toEqual(expected);
  });

  it.each([
    ["6.x into 6.x keeps the type name", { tweet: props }, ES6, ES6, "tweet", { tweet: props }],
    ["7.x into 6.x is wrapped in _doc", props, ES7, ES6, undefined, { _doc: props }],
    ["6.x into 7.x is sent typeless", { tweet: props }, ES6, ES7, "tweet", props],
  ])("%s", (_name, source, from, to, typeName, body) => {
    const copied = mappingsFromSource("idx", source, from, to);
    expect(copied.typeName).toBe(typeName);
    expect(mappingsForDestination(copied.mappings, to, copied.typeName)).toEqual(body);
  });

  it("reports what it removed", () => {
    const { dropped } = mappingsFromSource("idx", { _doc: { _all: { enabled: false }, properties: {} } }, ES6, ES7);
    expect(dropped).toEqual([{ path: "_all", reason: expect.stringContaining("removed in Elasticsearch 7") }]);
  });

  it("refuses several 5.x types, listing them and the options", () => {
    const call = () => mappingsFromSource("events", { click: props, view: props }, ES5, OS2);
    expect(call).toThrow(MappingTypesError);
    expect(call).toThrow('copyFrom.index "events" has 2 mapping types (click, view)');
    expect(call).toThrow("one DestinationIndex per type");
    expect(call).toThrow("merge the types' properties");
  });
});

describe("classifyMappingChange", () => {
  const base = {
    properties: {
      title: { type: "text", fields: { raw: { type: "keyword", ignore_above: 256 } } },
      user: { properties: { name: { type: "keyword" } } },
    },
  };
  const withProps = (p: Record<string, unknown>) => ({ properties: { ...base.properties, ...p } });

  it.each([
    ["an added field updates", withProps({ views: { type: "long" } }), ["views"], []],
    [
      "an added nested sub-field updates",
      withProps({ user: { properties: { name: { type: "keyword" }, age: { type: "integer" } } } }),
      ["user.age"],
      [],
    ],
    [
      "an added multi-field updates",
      withProps({
        title: { type: "text", fields: { raw: { type: "keyword", ignore_above: 256 }, en: { type: "text" } } },
      }),
      ["title.en"],
      [],
    ],
    [
      "ignore_above may change",
      withProps({ title: { type: "text", fields: { raw: { type: "keyword", ignore_above: 512 } } } }),
      ["title.raw"],
      [],
    ],
    ["a changed type replaces", withProps({ title: { type: "keyword" } }), [], ["title"]],
    [
      "a changed nested type replaces",
      withProps({ user: { properties: { name: { type: "text" } } } }),
      [],
      ["user.name"],
    ],
    ["a removed field replaces", { properties: { title: base.properties.title } }, [], ["user"]],
    [
      "a changed analyzer replaces",
      withProps({ title: { type: "text", analyzer: "english", fields: base.properties.title.fields } }),
      [],
      ["title"],
    ],
    ["dynamic: strict updates", { ...base, dynamic: "strict" }, ["dynamic"], []],
    ["_source changes replace", { ...base, _source: { enabled: false } }, [], ["_source"]],
    ["no change", base, [], []],
  ])("%s", (_name, next, update, replace) => {
    const c = classifyMappingChange(base, next);
    expect(c.update.map((x) => x.path)).toEqual(update);
    expect(c.replace.map((x) => x.path)).toEqual(replace);
  });

  it("names the field path and the types in the reason", () => {
    const c = classifyMappingChange(base, withProps({ user: { properties: { name: { type: "text" } } } }));
    expect(c.replace[0].reason).toBe(
      'field "user.name" changes type from keyword to text (a field\'s type cannot change in place)',
    );
  });
});

describe("overlayMappings", () => {
  it("lets explicit fields replace copied ones and keeps the rest", () => {
    expect(
      overlayMappings(
        { dynamic: "true", properties: { a: { type: "text" }, b: { type: "long" } } },
        { dynamic: "strict", properties: { a: { type: "keyword" } } },
      ),
    ).toEqual({
      dynamic: "strict",
      properties: { a: { type: "keyword" }, b: { type: "long" } },
    });
  });
});

describe("declaredView", () => {
  it("shows a declared field whose live type differs, ignores fields added dynamically", () => {
    const declared = { properties: { a: { type: "keyword" }, b: { type: "long" } } };
    const live = { properties: { a: { type: "text" }, b: { type: "long" }, extra: { type: "text" } } };
    const view = declaredView(declared, live);
    expect(view).toEqual({ properties: { a: { type: "text" }, b: { type: "long" } } });
    expect(classifyMappingChange(view, declared).replace.map((x) => x.path)).toEqual(["a"]);
  });

  it("drops declared fields the live index lacks", () => {
    expect(declaredView({ properties: { a: { type: "keyword" } } }, { properties: {} })).toEqual({ properties: {} });
  });
});
