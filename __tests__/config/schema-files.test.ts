/** Where a schema definition's JSON goes wrong (jsonErrorAt), agreeing with JSON.parse on what is JSON. */
import { jsonErrorAt } from "../../modules/config/schema-files";

describe("jsonErrorAt", () => {
  it.each([
    ['{"a": 1,}', 8, "a double-quoted property name"],
    ["[1, 2,\n ]", 8, "a JSON value"],
    ['{"a" 1}', 5, "':' after a property name"],
    ["{'a': 1}", 1, "a double-quoted property name"],
    ['{"a": "x', 8, 'the closing " of a string'],
    ['{"a": 1} x', 9, "the end of the text after one JSON value"],
    ['["a\tb"]', 3, "no control character (a newline, a tab) inside a string"],
    ["[01]", 2, "',' or ']'"],
    ["", 0, "a JSON value"],
  ])("%j: offset %i, expected %s (and JSON.parse refuses it too)", (text, offset, expected) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorAt(text)).toEqual({ offset, expected });
  });

  it.each([['{"type": "record", "fields": [{"name": "a\\u00e9", "type": ["null", "string"], "default": null}]}'], ['"string"'], [" [1.5e3, -0, true, false, null] \n"]])(
    "%j is JSON: no error",
    (text) => {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(jsonErrorAt(text)).toBeUndefined();
    },
  );
});
