// `check` in the desk: the article being edited is checked as the file it would become
// (POST /desk/api/check, a moment after the last keystroke) and again after each save
// (GET /desk/api/check?path=…). Each problem carries the field (or body line) it concerns;
// the fields' controls show their own problems beside them (widgets.js), the panel at the
// top of the form lists them all.

import { api } from "./net.js";
import { t } from "./text.js";

const WAIT_MS = 600;

class CheckStore {
  constructor() {
    this.problems = [];
    this.state = "idle"; // idle | checking | unsaved | saved | failed
    this.listeners = new Set();
    this.timer = null;
    this.lastText = null;
    this.serial = 0;
    this.format = null;
    this.entryId = null;
    this.data = {};
    this.dataListeners = new Set();
    this.paused = false;
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify() {
    for (const listener of [...this.listeners]) listener(this);
  }

  /** Called by every control as it renders, with its own field's value (always its
   *  current one: Decap re-renders a control when its value changes). The article being
   *  edited is the entry's data as loaded with these values put in; it is checked a moment
   *  after it last changed. */
  report(entry, collection, key, value) {
    if (!entry || !collection || !this.format || this.paused) return;
    const id = entry.get("path") || `new:${collection.get("name")}`;
    if (id !== this.entryId) {
      this.entryId = id;
      if (this.savedPending && entry.get("path")) {
        // A new article was saved and has now been opened at its path: check the file.
        this.savedPending = false;
        setTimeout(() => this.saved(entry.get("path")), 0);
      }
      this.entry = entry;
      this.collection = collection;
      const data = entry.get("data");
      this.data = data && typeof data.toJS === "function" ? data.toJS() : {};
      this.lastText = null;
    }
    const plain = value && typeof value.toJS === "function" ? value.toJS() : value;
    if (plain === undefined) delete this.data[key];
    else this.data[key] = plain;
    const text = this.format.toFile(this.data);
    if (text === this.lastText) return;
    this.lastText = text;
    for (const listener of [...this.dataListeners]) listener(this.data);
    const path = entryPath(this.entry, this.collection, this.data);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run("POST", path, text), WAIT_MS);
  }

  onData(listener) {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  /** After a save: the saved file, as `newsroom check` sees it. A new article has no path
   *  until Decap opens it after the save: it is checked then (see report). */
  saved(path) {
    clearTimeout(this.timer);
    if (!path) {
      this.savedPending = true;
      return;
    }
    this.run("GET", path, null);
  }

  async run(method, path, text) {
    const serial = ++this.serial;
    this.state = "checking";
    this.notify();
    try {
      const answer = method === "GET"
        ? await api("GET", "/desk/api/check?path=" + encodeURIComponent(path))
        : await api("POST", "/desk/api/check", { path, text });
      if (serial !== this.serial) return; // a newer check is on its way
      this.problems = answer.problems || [];
      this.state = method === "GET" ? "saved" : "unsaved";
    } catch (error) {
      if (serial !== this.serial) return;
      this.problems = [];
      this.state = "failed";
    }
    this.notify();
  }

  reset() {
    clearTimeout(this.timer);
    this.problems = [];
    this.state = "idle";
    this.lastText = null;
    this.entryId = null;
    this.serial++;
    this.notify();
  }

  /** No check while the editor signs out: one sent after the sign-out would be refused
   *  (401). The page reloads after it; `resume` if the sign-out failed. */
  pause() {
    this.paused = true;
    this.reset();
  }

  resume() {
    this.paused = false;
  }

  forField(key) {
    return this.problems.filter(problem => problem.field === key);
  }
}

export const checks = new CheckStore();

/** The file an entry is (or will be) saved as, as Decap names it. */
export function entryPath(entry, collection, data) {
  const existing = entry.get("path");
  if (existing) return existing;
  const folder = collection.get("folder");
  const slug = String(data.slug || "").trim() || "new-article";
  if (!collection.get("path")) return `${folder}/${slug}.md`;
  const date = String(data.date || "");
  const match = /^(\d{4})-(\d{2})/.exec(date);
  const now = new Date();
  const [year, month] = match ? [match[1], match[2]] : [String(now.getFullYear()), String(now.getMonth() + 1).padStart(2, "0")];
  return `${folder}/${year}/${month}/${slug}.md`;
}

const SEVERITY = { error: () => t("severity_error"), warning: () => t("severity_warning") };

/** The problems of one field, as a React element (null when there are none). */
export function Messages({ problems, h }) {
  if (!problems || !problems.length) return null;
  return h("ul", { className: "nr-problems", "aria-live": "polite" },
    problems.map((problem, index) => h("li", {
      key: index,
      className: "nr-problem nr-" + problem.severity,
    },
    h("strong", null, SEVERITY[problem.severity] ? SEVERITY[problem.severity]() : problem.severity, t("severity_separator")),
    problem.body_line ? t("body_line", { line: problem.body_line }) : "",
    problem.message,
    problem.fix ? h("span", { className: "nr-fix" }, " — ", problem.fix) : null)));
}
