// The desk's page texts, from the message table (newsroom/data/messages/deskpage.toml),
// in the editor's language: the server sends them as /desk/messages.json. Each text is a
// Python str.format template ({name} placeholders), as every message of the table is.

let table = {};

export async function loadTexts() {
  const response = await fetch("/desk/messages.json", { credentials: "same-origin", cache: "no-store" });
  table = (await response.json()).texts;
}

/** The text ``name`` (deskpage.<name>) with its placeholders filled from ``params``. */
export function t(name, params = {}) {
  const template = table[name];
  if (template === undefined) {
    console.error(`desk: no text deskpage.${name}`);
    return name;
  }
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, key) => (key in params ? String(params[key]) : whole))
    .replace(/\{\{/g, "{").replace(/\}\}/g, "}");
}
