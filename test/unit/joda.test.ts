import { describe, expect, it } from "vitest";
import { formatProblems, jodaFormatWarnings } from "../../provider/settings";

describe("6.x date formats that change meaning in 7.x and OpenSearch", () => {
  it.each([
    ["YYYY-MM-dd", /week-based year.*write y/],
    ["yyyy-'W'ww", /w \(week of year\)/],
    ["yyyy-MM-dd'T'HH:mm:ssZZ", /write XXX/],
  ])("warns about %s", (format, reason) => {
    expect(formatProblems(format).join("\n")).toMatch(reason);
  });

  it.each([
    "yyyy-MM-dd",
    "strict_date_optional_time||epoch_millis",
    "8YYYY-MM-dd",
    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'",
    "'Week'yyyy",
  ])("leaves %s alone", (format) => {
    expect(formatProblems(format)).toEqual([]);
  });

  it("finds formats on nested objects, multi-fields and dynamic templates", () => {
    const mappings = {
      dynamic_templates: [{ dates: { match: "*_at", mapping: { type: "date", format: "YYYY" } } }],
      properties: {
        ok: { type: "date", format: "yyyy-MM-dd" },
        user: { properties: { born: { type: "date", format: "dd.MM.YYYY" } } },
        raw: { type: "keyword", fields: { as_date: { type: "date", format: "ww" } } },
      },
    };
    expect(jodaFormatWarnings(mappings).map((w) => w.field)).toEqual([
      "user.born",
      "raw.as_date",
      "dynamic_templates.dates",
    ]);
  });
});
