// Moving between articles. Decap's editor loads an entry when it opens and never again:
// when the address changes from one entry straight to another (the browser's back and
// forward buttons between two articles, a link, the finder), it keeps the first form under
// the second's address, and a save would write the first article's values into the
// second. So every such change goes through the list first, which closes the open form,
// and then to the entry asked for, which opens it afresh from the file.

import { t } from "./text.js";

/** Leave the page (sign out, reload after a restore) once the editor has said yes in the
 *  desk's words: no second question from Decap or the browser (boot.js). */
export function leavePage(go) {
  window.newsroomLeaving = true;
  go();
}

const EDITOR_ROUTE = /^#\/collections\/([^/?]+)\/(?:entries\/([^?]+)|new)/;

/** The entry an address opens in the editor: {collection, key}, or null (a list, the start). */
export function editorRoute(hash) {
  const match = EDITOR_ROUTE.exec(hash || "");
  return match ? { collection: match[1], key: match[2] ? `entries/${match[2]}` : "new" } : null;
}

/** Decap's toolbar says so while the open form has changes not saved. */
export const hasUnsavedChanges = () => editorOpen() && document.body.innerText.includes(t("decap_unsaved_changes"));

const editorOpen = () => document.querySelector("input[id^='title-field-']") !== null;

async function until(condition, ms) {
  for (let waited = 0; !condition() && waited < ms; waited += 100) {
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return condition();
}

/** Resolves once the browser has announced the next change of address (or after ``ms``). */
function nextHashChange(ms) {
  return new Promise(resolve => {
    const done = () => { window.removeEventListener("hashchange", done); clearTimeout(timer); resolve(); };
    const timer = setTimeout(done, ms);
    window.addEventListener("hashchange", done);
  });
}

let passing = false; // while the desk itself goes through the list
const FORM_CLOSES_MS = 30000;

/** Show ``hash`` (an entry's address) with a fresh form: through the list when a form is
 *  open. ``replace``: the browser's history keeps one entry for it (back and forward). */
async function throughTheList(collection, hash, replace) {
  passing = true;
  try {
    const list = `#/collections/${collection}`;
    const announced = nextHashChange(2000);
    if (replace) location.replace(list);
    else location.hash = list;
    await announced; // Decap's router has seen the list's address
    // Decap asks before leaving unsaved changes; an editor who stays keeps the form (and
    // Decap puts the entry's address back). A busy machine can take seconds to close the form:
    // wait for one or the other, not for a fixed few seconds.
    await until(() => !editorOpen() || editorRoute(location.hash) !== null, FORM_CLOSES_MS);
    if (editorOpen()) return false;
    location.replace(hash);
    return true;
  } finally {
    passing = false;
  }
}

/** Open an entry from anywhere (the finder). */
export async function openEntry(collection, hash) {
  if (editorRoute(location.hash) && editorOpen()) return throughTheList(collection, hash, false);
  location.hash = hash;
  return true;
}

const DECAP_STEP_MS = 5000;
let lastSave = -Infinity;

/** A save has just ended: the next change of address is Decap's own (a new article to its
 *  saved address, 保存然后新建一篇, 保存然后复制一篇), which carries its form along. */
export function saveEnded() {
  lastSave = Date.now();
}

/** Watch the address: a change from one entry's form straight to another's (back, forward,
 *  a typed or linked address) is taken through the list. */
export function guardEntryChanges(onChange) {
  window.addEventListener("hashchange", event => {
    onChange();
    if (passing) return;
    const from = editorRoute(new URL(event.oldURL).hash);
    const to = editorRoute(location.hash);
    if (!from || !to || (from.collection === to.collection && from.key === to.key)) return;
    // Decap's own steps after a save go to or from a new article, never entry to entry.
    const decapStep = (from.key === "new" || to.key === "new") && Date.now() - lastSave < DECAP_STEP_MS;
    lastSave = -Infinity;
    if (decapStep) return;
    // The open form still holds the first article: its unsaved changes are lost only if the
    // editor says so (Decap does not ask on such a change of address).
    if (hasUnsavedChanges() && !window.confirm(t("leave_unsaved"))) {
      passing = true;
      nextHashChange(2000).then(() => { passing = false; });
      location.replace(new URL(event.oldURL).hash); // back to the article the form holds
      return;
    }
    throughTheList(to.collection, location.hash, true);
  });
}
