// The engines' rules for index and alias names, checked before anything is sent (Elasticsearch and OpenSearch
// share them: MetadataCreateIndexService.validateIndexOrAliasName).

/** Problems with an index or alias name: lowercase, no special characters, no leading -, _ or +, at most 255 bytes. */
export function indexNameProblems(name: string, field: string): string[] {
  const problems: string[] = [];
  if (name === "") return [`${field} is empty: give the index name`];
  if (name !== name.toLowerCase())
    problems.push(`${field} "${name}" has uppercase letters: index names are lowercase, e.g. "${name.toLowerCase()}"`);
  const bad = [...new Set(name.match(/[\\/*?"<>| ,#:]/g) ?? [])];
  if (bad.length > 0)
    problems.push(
      `${field} "${name}" contains ${bad.map((c) => JSON.stringify(c)).join(", ")}: index names cannot contain \\ / * ? " < > | , # : or spaces`,
    );
  if (/^[-_+]/.test(name))
    problems.push(`${field} "${name}" starts with "${name[0]}": index names cannot start with -, _ or +`);
  if (name === "." || name === "..") problems.push(`${field} cannot be "${name}"`);
  if (Buffer.byteLength(name, "utf8") > 255) problems.push(`${field} is longer than 255 bytes`);
  return problems;
}
