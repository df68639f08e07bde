/**
 * Plan text (names, descriptions, waiver reasons, labels, feeds, file names) is written by whoever wrote
 * the plan, and in CI that is a pull request. Every renderer passes it through the neutraliser of its
 * output context before printing it, so it is shown as text and never acts as markup or a command.
 *
 * - `plain`: one line of visible text. ANSI escape sequences, C0/C1 control characters and the bidi
 *   controls of "Trojan Source" (CVE-2021-42574: U+202A-U+202E, U+2066-U+2069, and the marks U+200E,
 *   U+200F, U+061C) are removed; line breaks, carriage returns and tabs become the visible `\n`, `\r`, `\t`
 *   (U+2028/U+2029 `\u2028`/`\u2029`), so a field never starts a line of its own.
 * - `terminal`: `plain`, and no GitHub Actions workflow command can be formed. The runner reads a line as
 *   a command when, after leading spaces, it starts with `::`, and as a legacy command when `##[` appears
 *   anywhere in it (actions/runner src/Runner.Common/ActionCommand.cs, TryParseV2 and TryParse); both are
 *   broken with a backslash.
 * - `workflowData` / `workflowProperty`: the escaping of @actions/core (packages/core/src/command.ts,
 *   escapeData and escapeProperty): `%` `\r` `\n`, and in properties also `:` and `,`.
 * - `markdown` / `markdownCode`: inline GitHub-flavoured Markdown that renders as the text itself.
 * - `html`: text inside HTML elements and quoted attributes.
 * - `csvCell`: a spreadsheet cell that is never a formula (OWASP "CSV Injection": cells starting with
 *   `=`, `+`, `-`, `@`, tab or carriage return get a leading `'`).
 * - `xmlText`: text without the characters XML 1.0 forbids (section 2.2, Char).
 * - `mermaidLabel`: a task name in a Mermaid gantt block. Mermaid's gantt grammar has no escaping (a `:`
 *   ends the name, `#` and `;` start entities and statements, `%%` a comment, a line break a new
 *   statement such as `click … href`), so only letters, digits, spaces and `.,()/_+-` are kept.
 */

// ESC-introduced sequences: CSI (ESC [ params final), OSC (ESC ] ... BEL or ST), and two-byte escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g;
const VISIBLE: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};
const BREAKS = /[\n\r\t\u2028\u2029]/g;
// C0 (but the breaks above, already made visible), DEL, C1, bidi embeddings/overrides/isolates and marks.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** One line of visible text: escape sequences and control characters gone, line breaks shown as `\n`. */
export function plain(s: string): string {
  return s
    .replace(ANSI, '')
    .replace(BREAKS, (c) => VISIBLE[c]!)
    .replace(INVISIBLE, '');
}

/** Plain text for a terminal or a CI log: no control characters, no workflow command. */
export function terminal(s: string): string {
  return plain(s).replace(/::/g, ':\\:').replace(/##\[/g, '##\\[');
}

/** The message of a workflow command (`::error file=…::<data>`). */
export function workflowData(s: string): string {
  return terminal(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value of a workflow command (`file=`, `title=`). */
export function workflowProperty(s: string): string {
  return plain(s)
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/:/g, '%3A')
    .replace(/,/g, '%2C');
}

/**
 * Inline Markdown that renders as the text and acts as nothing: backslash, backticks (code), `[` `]`
 * (links, images, task lists) and `|` (table cells) are backslash-escaped, `<`, `>` and `&` (HTML, entities)
 * become entities, and a `#` or list marker that starts the text (a heading or a list inside a list item)
 * is escaped. An `@` is followed by a zero-width space so that `@someone` notifies no one (GitHub links
 * mentions in any text, escaped or not). Emphasis characters are left: they can only style the text.
 */
export function markdown(s: string): string {
  return (
    plain(s)
      .replace(/[\\`[\]|]/g, (c) => `\\${c}`)
      .replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!)
      .replace(/@/g, '@&#8203;')
      // At the start of a list item's text these would open a heading or a nested list.
      .replace(/^(\s*)(#|[-+*](?=\s|$))/, '$1\\$2')
      .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
  );
}

/**
 * A Markdown code span of the text: fenced with more backticks than any run inside it (CommonMark 6.1),
 * and `|` escaped, which GitHub's tables need even inside code. Mentions are not linked inside code.
 */
export function markdownCode(s: string): string {
  const text = plain(s).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Text inside HTML elements and quoted attributes. */
export function html(s: string): string {
  return plain(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A CSV cell a spreadsheet shows as text: control characters made visible, formulas defused. */
export function csvCell(s: string): string {
  const cell = plain(s);
  // A leading tab or CR is shown as `\t`/`\r` by now, so only the four formula signs remain to defuse.
  return /^[=+\-@]/.test(cell) ? `'${cell}` : cell;
}

/** Text XML 1.0 can hold (Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]). */
export function xmlText(s: string): string {
  return plain(s).replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g,
    '',
  );
}

/** A Mermaid gantt task name: letters, digits, spaces and `.,()/_+-` kept, anything else a space, ≤ 80 characters. */
export function mermaidLabel(s: string): string {
  const kept = plain(s)
    .replace(/[^\p{L}\p{N} .,()/_+-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return (kept.length > 80 ? `${kept.slice(0, 79)}…` : kept) || '-';
}
