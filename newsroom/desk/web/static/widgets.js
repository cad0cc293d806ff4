// The desk's controls, as Decap widgets (CMS.registerWidget):
//
// - checked-<name>: a built-in control (string, text, number, select, list, markdown)
//   followed by the check's messages for its field;
// - newsdate: a date and an optional time (Beijing), with the embargo shown;
// - slug: the address's last part, the headline's pinyin from the server;
// - newsbody: the body in Decap's Markdown editor (plain text), with the byline builder
//   (本报讯（记者 … 通讯员 …）, written into the text) and the photo inserter (uploaded
//   beside the article, alt text, caption and credit);
// - deskpanel: the top of the form: other editors on this article, the check's summary;
// - deskhistory: the bottom of the form: the article's versions, comparison and undo.
//
// Decap renders controls with React; window.h is React.createElement and
// window.createClass create-react-class (both set by decap-cms.js).

import { checks, entryPath, Messages } from "./check.js";
import { beijingMoment, DATE_FORM, isEmbargoed } from "./format.js";
import { hasUnsavedChanges, leavePage } from "./navigation.js";
import { api, inOrder } from "./net.js";
import { t } from "./text.js";

const h = (...args) => window.h(...args);
const createClass = spec => window.createClass(spec);
const WRAPPED = ["string", "text", "number", "select", "list", "markdown"];

function fieldKey(props) {
  return props.field.get("name");
}

/** Subscribe a component to the check store; it re-renders with its field's problems. */
const CheckedMixin = {
  componentDidMount() {
    this.stopChecks = checks.subscribe(() => this.setState({ checkVersion: (this.state && this.state.checkVersion || 0) + 1 }));
  },
  componentWillUnmount() {
    if (this.stopChecks) this.stopChecks();
  },
};

/** Report this control's value to the check store (see CheckStore.report). */
function report(props) {
  checks.report(props.entry, props.collection, fieldKey(props), props.value);
}

function messagesFor(props) {
  return h(Messages, { problems: checks.forField(fieldKey(props)), h: window.h });
}

function checked(name) {
  const base = CMS.getWidget(name);
  const Control = base.control;
  const isClass = Boolean(Control.prototype && Control.prototype.isReactComponent);
  const Wrapped = createClass({
    displayName: `Checked(${name})`,
    mixins: [CheckedMixin],
    isValid() {
      return this.inner && this.inner.isValid ? this.inner.isValid() : true;
    },
    focus(path) {
      if (this.inner && this.inner.focus) this.inner.focus(path);
    },
    getValidateValue() {
      return this.inner && this.inner.getValidateValue ? this.inner.getValidateValue() : undefined;
    },
    render() {
      report(this.props);
      const props = isClass ? { ...this.props, ref: inner => { this.inner = inner; } } : this.props;
      return h("div", { className: "nr-checked" }, h(Control, props), messagesFor(this.props));
    },
  });
  return { name: `checked-${name}`, controlComponent: Wrapped, previewComponent: base.preview };
}

// --- date and time -------------------------------------------------------------------

function beijingToday() {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  return now.toISOString().slice(0, 10);
}

function describeWait(moment) {
  const hours = Math.round((moment - Date.now()) / 3600000);
  if (hours < 1) return t("wait_under_hour");
  if (hours < 48) return t("wait_hours", { hours });
  return t("wait_days", { days: Math.round(hours / 24) });
}

const NewsDateControl = createClass({
  displayName: "NewsDateControl",
  mixins: [CheckedMixin],
  componentDidMount() {
    // A new article is dated today (Beijing) unless the editor picks another day.
    if (!this.props.value && this.props.field.get("today")) this.props.onChange(beijingToday());
  },
  parts() {
    const match = DATE_FORM.exec(String(this.props.value || "").trim());
    if (!match) return null;
    return { day: `${match[1]}-${match[2]}-${match[3]}`, time: match[4] ? `${match[4]}:${match[5]}` : "" };
  },
  change(day, time) {
    this.props.onChange(day ? (time ? `${day} ${time}` : day) : "");
  },
  render() {
    report(this.props);
    const { forID, value, classNameWrapper, setActiveStyle, setInactiveStyle } = this.props;
    const parts = this.parts();
    const raw = String(value || "").trim();
    const events = { onFocus: setActiveStyle, onBlur: setInactiveStyle };
    const children = [];
    if (raw && !parts) {
      children.push(h("p", { key: "raw", className: "nr-note nr-error" },
        t("date_unreadable", { raw })));
    }
    children.push(h("div", { key: "inputs", className: "nr-date-inputs" },
      h("label", null, t("date_label"),
        h("input", { id: forID, type: "date", value: parts ? parts.day : "", ...events,
          onChange: event => this.change(event.target.value, parts ? parts.time : "") })),
      h("label", null, t("time_label"),
        h("input", { type: "time", value: parts ? parts.time : "", disabled: !parts, ...events,
          onChange: event => this.change(parts ? parts.day : beijingToday(), event.target.value) })),
      parts && parts.time ? h("button", { type: "button", className: "nr-small",
        onClick: () => this.change(parts.day, "") }, t("no_time")) : null));
    if (parts && isEmbargoed(raw)) {
      const wait = describeWait(beijingMoment(raw));
      // A draft is never published, at its time or any other: the note says so.
      const draft = String((checks.data || {}).status || "").trim().toLowerCase() === "draft";
      children.push(h("p", { key: "embargo", className: `nr-note ${draft ? "nr-warning" : "nr-embargo"}`, role: "status" },
        draft ? t("embargo_draft", { when: raw, wait })
          : t("embargo", { when: raw, wait, how: (window.newsroomSchedule || {}).note || "" })));
    }
    children.push(messagesFor(this.props));
    return h("div", { className: `${classNameWrapper} nr-date` }, children);
  },
});

// --- the address -------------------------------------------------------------------------

const SlugControl = createClass({
  displayName: "SlugControl",
  mixins: [CheckedMixin],
  getInitialState() {
    return { auto: !this.props.value, title: null };
  },
  componentDidMount() {
    // The headline is another field: its changes come from the check store.
    this.stopData = checks.onData(data => this.follow(String(data.title || "").trim()));
  },
  componentWillUnmount() {
    clearTimeout(this.timer);
    if (this.stopData) this.stopData();
  },
  title() {
    return String(checks.data.title || "").trim();
  },
  isNew() {
    return Boolean(this.props.entry && this.props.entry.get("newRecord"));
  },
  follow(title) {
    // A new article's address follows its headline until the editor types one.
    if (!this.isNew() || !this.state.auto || !title || title === this.state.title) return;
    this.setState({ title });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.generate(title), 400);
  },
  async generate(title) {
    try {
      // Typed on after a pause: the address of the headline asked last, whichever answer comes first.
      this.ask = this.ask || inOrder();
      const answer = await this.ask("GET", "/desk/api/slug?title=" + encodeURIComponent(title || this.title()));
      // The editor typed an address of their own while this was asked: theirs stays.
      if (!this.state.auto) return;
      if (answer && answer.slug && answer.slug !== this.props.value) this.props.onChange(answer.slug);
    } catch (error) {
      // the check's message on the Slug field says what is wrong
    }
  },
  render() {
    report(this.props);
    const { forID, value, classNameWrapper, setActiveStyle, setInactiveStyle } = this.props;
    return h("div", { className: `${classNameWrapper} nr-slug` },
      h("div", { className: "nr-row" },
        h("span", { className: "nr-muted" }, t("slug_prefix")),
        h("input", { id: forID, type: "text", value: value || "", spellCheck: false, autoComplete: "off",
          onFocus: setActiveStyle, onBlur: setInactiveStyle,
          onChange: event => {
            clearTimeout(this.timer); // no address from the headline after the editor typed one
            this.setState({ auto: false });
            this.props.onChange(event.target.value.trim());
          } }),
        h("button", { type: "button", className: "nr-small", onClick: () => { this.setState({ auto: true }); this.generate(); } },
          t("slug_generate"))),
      this.isNew() ? null : h("p", { className: "nr-note" }, t("slug_published")),
      messagesFor(this.props));
  },
});

// --- the body: the byline builder, the text, the photos -------------------------------------

const ROLE_WORDS = "本报特约记者|本报记者|特约记者|实习记者|见习记者|首席记者|记者|实习生|特约通讯员|本报通讯员|通讯员";
// A byline at the start of a paragraph: 本报讯（记者 白莹 通讯员 李明）, （记者 白莹）.
const BYLINE_AT_START = new RegExp(`^(?:本报[^（(\\n]{0,16}?讯[ \\u3000]*)?[（(][ \\u3000]*(?:${ROLE_WORDS})[^）)\\n]{0,60}[）)]`);

/** Where the first paragraph of text starts (after photos, headings and notes), or -1. */
export function textStart(body) {
  let position = 0;
  let skipping = false;
  for (const line of String(body).split("\n")) {
    const trimmed = line.replace(/^[ \t\u3000]+/, "");
    if (!trimmed) {
      skipping = false;
    } else if (!skipping) {
      if (/^(!\[|#|<)/.test(trimmed)) skipping = true;
      else return position + (line.length - trimmed.length);
    }
    position += line.length + 1;
  }
  return -1;
}

/** The byline that opens the text: {start, text} (text "" when there is none). */
export function findByline(body) {
  const start = textStart(body);
  if (start < 0) return { start: -1, text: "" };
  const match = BYLINE_AT_START.exec(String(body).slice(start));
  return { start, text: match ? match[0] : "" };
}

/** ``body`` with its opening byline replaced by ``byline`` (or added before the text). */
export function withByline(body, byline) {
  body = String(body || "");
  const found = findByline(body);
  if (found.start < 0) return byline ? (body.trim() ? body.replace(/\s+$/, "") + "\n\n" + byline : byline) : body;
  return body.slice(0, found.start) + byline + body.slice(found.start + found.text.length);
}

/** ``body`` with a photo paragraph before its text (after the photos already there). */
export function withPhoto(body, markdown) {
  body = String(body || "");
  const start = textStart(body);
  if (start < 0) return body.trim() ? body.replace(/\s+$/, "") + "\n\n" + markdown : markdown;
  return body.slice(0, start) + markdown + "\n\n" + body.slice(start);
}

/** ![alt](file "caption credit"): the photo's Markdown (the photos' content model). */
export function photoMarkdown({ file, alt, caption, credit }) {
  const clean = text => String(text || "").replace(/[\r\n]+/g, " ").trim();
  const title = [clean(caption), clean(credit)].filter(Boolean).join(" ").replace(/"/g, "”");
  return `![${clean(alt).replace(/[[\]]/g, "")}](${file}${title ? ` "${title}"` : ""})`;
}

const BYLINE = /^(本报讯)?[（(]\s*(.*?)\s*[）)]$/;
const ROLES = { "记者": "reporters", "通讯员": "correspondents" };

/** 本报讯（记者 白莹 马超 通讯员 李明） -> {prefix, reporters, correspondents}, or null
 *  for a byline this builder does not write (the editor then edits it in the text). */
export function parseByline(text) {
  if (!text) return { prefix: "本报讯", reporters: "", correspondents: "" };
  const match = BYLINE.exec(text);
  if (!match) return null;
  const found = { prefix: match[1] || "", reporters: [], correspondents: [] };
  let role = null;
  for (const word of match[2].split(/[\s\u3000]+/).filter(Boolean)) {
    if (ROLES[word]) role = ROLES[word];
    else if (role && /^[\u4e00-\u9fff·]{2,8}$/.test(word)) found[role].push(word);
    else return null;
  }
  if (!found.reporters.length && !found.correspondents.length) return null;
  const parsed = { ...found, reporters: found.reporters.join(" "), correspondents: found.correspondents.join(" ") };
  return buildByline(parsed) === text ? parsed : null;
}

function names(text) {
  return String(text || "").split(/[\s\u3000,，、;；]+/).filter(Boolean);
}

export function buildByline({ prefix, reporters, correspondents }) {
  const parts = [];
  if (names(reporters).length) parts.push("记者 " + names(reporters).join(" "));
  if (names(correspondents).length) parts.push("通讯员 " + names(correspondents).join(" "));
  return parts.length ? `${prefix || ""}（${parts.join(" ")}）` : "";
}

const BylineBuilder = createClass({
  displayName: "BylineBuilder",
  getInitialState() {
    return this.fromBody(this.props.body);
  },
  fromBody(body) {
    const text = findByline(body).text;
    const parsed = parseByline(text);
    return { text, parsed: parsed || { prefix: "本报讯", reporters: "", correspondents: "" }, free: parsed === null };
  },
  componentDidUpdate() {
    // The byline was changed in the text itself: read it again.
    const text = findByline(this.props.body).text;
    if (text !== this.state.text) this.setState(this.fromBody(this.props.body));
  },
  set(change) {
    const parsed = { ...this.state.parsed, ...change };
    const text = buildByline(parsed);
    this.setState({ parsed, text });
    this.props.onChange(withByline(this.props.body, text));
  },
  render() {
    const { parsed, free, text } = this.state;
    const id = this.props.id;
    if (free) {
      return h("div", { className: "nr-byline" }, h("p", { className: "nr-note" }, t("byline_free", { byline: text })));
    }
    return h("fieldset", { className: "nr-byline" },
      h("legend", null, t("byline_legend")),
      h("div", { className: "nr-byline-inputs" },
        h("label", null, t("byline_prefix"),
          h("select", { value: parsed.prefix, onChange: event => this.set({ prefix: event.target.value }) },
            h("option", { value: "本报讯" }, "本报讯"), h("option", { value: "" }, t("byline_prefix_none")))),
        h("label", null, t("byline_reporters"),
          h("input", { id: `${id}-reporters`, type: "text", value: parsed.reporters, placeholder: t("byline_reporters_example"),
            onChange: event => this.set({ reporters: event.target.value }) })),
        h("label", null, t("byline_correspondents"),
          h("input", { id: `${id}-correspondents`, type: "text", value: parsed.correspondents, placeholder: t("byline_correspondents_example"),
            onChange: event => this.set({ correspondents: event.target.value }) }))),
      h("p", { className: "nr-note" }, text ? t("byline_starts", { byline: text }) : t("byline_none")));
  },
});

// Credits as newsroom/data/photo_credits.toml reads them: a role, names, 摄.
const CREDIT_ROLES = ["本报记者", "本报摄影记者", "通讯员", "记者", ""];

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1]);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

const PhotoInserter = createClass({
  displayName: "PhotoInserter",
  getInitialState() {
    return { open: false, alt: "", caption: "", role: "本报记者", name: "", fileName: "", busy: false, error: "" };
  },
  async insert() {
    const file = this.fileInput && this.fileInput.files[0];
    const { alt, caption, role, name } = this.state;
    if (!file) return this.setState({ error: t("photo_no_file") });
    if (!alt.trim()) return this.setState({ error: t("photo_no_alt") });
    const article = this.props.articlePath();
    if (!article) return this.setState({ error: t("photo_no_article") });
    this.setState({ busy: true, error: "" });
    try {
      const answer = await api("POST", "/desk/api/photo",
        { article, name: file.name, content: await readBase64(file) });
      const credit = name.trim() ? `${role ? role + " " : ""}${name.trim()} 摄` : "";
      this.props.onInsert(photoMarkdown({ file: answer.name, alt, caption, credit }), article);
      this.setState({ ...this.getInitialState(), done: answer.name });
      this.fileInput.value = "";
    } catch (error) {
      this.setState({ busy: false, error: error.message });
    }
  },
  render() {
    const id = this.props.id;
    const { open, alt, caption, role, name, busy, error, done } = this.state;
    if (!open) {
      return h("div", { className: "nr-photo" },
        h("button", { type: "button", className: "nr-small", onClick: () => this.setState({ open: true, done: "" }) },
          t("photo_button")),
        done ? h("span", { className: "nr-note nr-ok" }, " " + t("photo_done", { file: done })) : null);
    }
    const input = (key, label, props) => h("label", { className: "nr-photo-row" }, label,
      h("input", { type: "text", value: this.state[key], onChange: event => this.setState({ [key]: event.target.value }), ...props }));
    return h("fieldset", { className: "nr-photo" },
      h("legend", null, t("photo_button")),
      // The browser's own file button speaks the browser's language ("Choose File"): the
      // input is hidden behind a button of ours that says what it does in Chinese.
      h("div", { className: "nr-photo-row" }, t("photo_file"),
        h("input", { id: `${id}-photo`, type: "file", className: "nr-file-input", accept: "image/jpeg,image/png,image/webp",
          ref: node => { this.fileInput = node; },
          onChange: event => this.setState({ fileName: (event.target.files[0] || {}).name || "" }) }),
        h("label", { htmlFor: `${id}-photo`, className: "nr-small nr-file-button" }, t("photo_choose")),
        h("span", { className: "nr-muted" }, this.state.fileName || t("photo_none_chosen"))),
      input("alt", t("photo_alt"), { placeholder: t("photo_alt_example") }),
      input("caption", t("photo_caption"), { placeholder: t("photo_caption_example") }),
      h("div", { className: "nr-photo-row" }, t("photo_credit"),
        h("select", { value: role, "aria-label": t("photo_credit_role"), onChange: event => this.setState({ role: event.target.value }) },
          CREDIT_ROLES.map(r => h("option", { key: r, value: r }, r || t("photo_credit_role_none")))),
        h("input", { type: "text", value: name, "aria-label": t("photo_credit_name"), placeholder: t("photo_credit_name_example"),
          onChange: event => this.setState({ name: event.target.value }) })),
      h("p", { className: "nr-note" }, t("photo_note")),
      error ? h("p", { className: "nr-note nr-error", role: "alert" }, error) : null,
      h("div", { className: "nr-row" },
        h("button", { type: "button", className: "nr-primary", disabled: busy, onClick: () => this.insert() },
          busy ? t("photo_uploading") : t("photo_upload")),
        h("button", { type: "button", className: "nr-small", onClick: () => this.setState({ open: false, error: "" }) }, t("cancel"))));
  },
});

const NewsBodyControl = createClass({
  displayName: "NewsBodyControl",
  mixins: [CheckedMixin],
  getInitialState() {
    return { generation: 0 };
  },
  componentWillUnmount() {
    // The form is closed: photos uploaded for an article that was not saved with them are
    // removed by the server (a saved article's photos were committed with it).
    for (const article of this.uploadedFor || []) {
      api("POST", "/desk/api/photo/leave", { article }).catch(() => {});
    }
  },
  focus(path) {
    if (this.inner && this.inner.focus) this.inner.focus(path);
  },
  /** A change made here, not typed in the editor: the editor is drawn again with it. */
  replace(body) {
    this.props.onChange(body);
    this.setState({ generation: this.state.generation + 1 });
  },
  articlePath() {
    const data = checks.data || {};
    if (!/^\d{4}-\d{2}/.test(String(data.date || "")) || !String(data.slug || "").trim()) return null;
    return entryPath(this.props.entry, this.props.collection, data);
  },
  render() {
    report(this.props);
    const Markdown = CMS.getWidget("markdown").control;
    const body = this.props.value || "";
    return h("div", { className: "nr-body" },
      h(BylineBuilder, { id: this.props.forID, body, onChange: next => this.replace(next) }),
      h(Markdown, { ...this.props, key: this.state.generation, ref: inner => { this.inner = inner; } }),
      h(PhotoInserter, { id: this.props.forID, articlePath: () => this.articlePath(),
        onInsert: (markdown, article) => {
          this.uploadedFor = new Set([...(this.uploadedFor || []), article]);
          this.replace(withPhoto(this.props.value || "", markdown));
        } }),
      messagesFor(this.props));
  },
});

// --- the lead photo (题图) ------------------------------------------------------------------------

/** The photos of a body: [{file, alt}], in order. */
export function photosIn(body) {
  const found = [];
  for (const match of String(body || "").matchAll(/^[ \t]*!\[([^\]\n]*)\]\(<?([^\s)>]+)>?/gm)) {
    found.push({ alt: match[1], file: match[2] });
  }
  return found;
}

const LeadPhotoControl = createClass({
  displayName: "LeadPhotoControl",
  mixins: [CheckedMixin],
  componentDidMount() {
    this.stopData = checks.onData(() => this.forceUpdate()); // the body's photos may change
  },
  componentWillUnmount() {
    if (this.stopData) this.stopData();
  },
  render() {
    report(this.props);
    const { forID, classNameWrapper, setActiveStyle, setInactiveStyle } = this.props;
    const value = String(this.props.value || "");
    const body = checks.data && checks.data.body !== undefined ? checks.data.body
      : (this.props.entry && this.props.entry.getIn(["data", "body"])) || "";
    const photos = photosIn(body);
    const options = [h("option", { key: "", value: "" }, photos.length ? t("lead_first", { file: photos[0].file }) : t("lead_first_none"))];
    for (const photo of photos) {
      options.push(h("option", { key: photo.file, value: photo.file }, t("lead_option", { file: photo.file, alt: photo.alt })));
    }
    const none = ["none", "无"].includes(value.toLowerCase());
    if (value && !none && !photos.some(photo => photo.file === value)) {
      options.push(h("option", { key: value, value }, t("lead_elsewhere", { file: value })));
    }
    options.push(h("option", { key: "none", value: none ? value : "none" }, t("lead_none")));
    return h("div", { className: `${classNameWrapper} nr-leadphoto` },
      h("select", { id: forID, value, onFocus: setActiveStyle, onBlur: setInactiveStyle,
        onChange: event => this.props.onChange(event.target.value) }, options),
      messagesFor(this.props));
  },
});

// --- the panel at the top of the form ----------------------------------------------------------

const PRESENCE_MS = 20000;

const DeskPanelControl = createClass({
  displayName: "DeskPanelControl",
  getInitialState() {
    return { others: [] };
  },
  shouldComponentUpdate() {
    return true;
  },
  componentDidMount() {
    this.stopChecks = checks.subscribe(() => this.forceUpdate());
    this.beat();
    this.timer = setInterval(() => this.beat(), PRESENCE_MS);
    // Leaving the page (reload, restore, closing the tab) leaves the article too: the next
    // load is another tab, which must not be told of this one as "another tab".
    this.onPageHide = () => this.leave(true);
    window.addEventListener("pagehide", this.onPageHide);
  },
  componentWillUnmount() {
    clearInterval(this.timer);
    if (this.stopChecks) this.stopChecks();
    window.removeEventListener("pagehide", this.onPageHide);
    this.leave(false);
  },
  leave(unloading) {
    const path = this.path();
    if (!path) return;
    // keepalive: the request outlives the page that sends it (the tab id header comes with it).
    fetch("/desk/api/presence", { method: "POST", credentials: "same-origin", keepalive: unloading,
      headers: { "Content-Type": "application/json" }, body: JSON.stringify({ path, leave: true }) }).catch(() => {});
  },
  path() {
    return this.props.entry && this.props.entry.get("path");
  },
  async beat() {
    const path = this.path();
    if (!path) return;
    try {
      const answer = await api("POST", "/desk/api/presence", { path });
      this.setState({ others: answer.others || [] });
    } catch (error) {
      // presence is a courtesy: the save itself refuses to overwrite a newer version
    }
  },
  render() {
    const problems = checks.problems;
    const errors = problems.filter(p => p.severity === "error").length;
    const warnings = problems.length - errors;
    const loose = problems.filter(p => !p.field);
    const state = {
      idle: "", checking: t("check_checking"),
      unsaved: t("check_unsaved"), saved: t("check_saved"), failed: t("check_failed"),
    }[checks.state];
    const parts = [];
    const others = this.state.others.filter(o => !o.same_editor);
    if (others.length) {
      parts.push(h("p", { key: "others", className: "nr-note nr-warning nr-others", role: "alert" },
        t("others_here", { names: others.map(o => o.editor).join(t("names_separator")) })));
    }
    if (this.state.others.some(o => o.same_editor)) {
      parts.push(h("p", { key: "self", className: "nr-note nr-warning nr-others", role: "alert" }, t("others_self_tab")));
    }
    if (checks.state !== "idle") {
      parts.push(h("p", { key: "summary", className: "nr-check-summary " + (errors ? "nr-error" : warnings ? "nr-warning" : "nr-ok") },
        state, " ",
        checks.state === "checking" || checks.state === "failed" ? "" :
          errors || warnings ? t("check_counts", { errors, warnings }) + (errors ? t("check_errors_block") : "") :
            t("check_clean")));
    }
    parts.push(h(Messages, { key: "loose", problems: loose, h: window.h }));
    return h("div", { className: "nr-panel" }, parts);
  },
});

// --- the history at the bottom of the form -------------------------------------------------------

function when(iso) {
  return String(iso || "").replace("T", " ").slice(0, 16);
}

const DeskHistoryControl = createClass({
  displayName: "DeskHistoryControl",
  getInitialState() {
    return { entries: null, diff: null, diffOf: null, message: "" };
  },
  shouldComponentUpdate() {
    return true;
  },
  componentDidMount() {
    this.load();
    this.stopSaved = onSaved(() => this.load());
  },
  componentWillUnmount() {
    if (this.stopSaved) this.stopSaved();
  },
  path() {
    return this.props.entry && this.props.entry.get("path");
  },
  async load() {
    const path = this.path();
    if (!path) return;
    try {
      // Loaded on opening and again after each save: the history asked last is the one shown.
      this.ask = this.ask || inOrder();
      const answer = await this.ask("GET", "/desk/api/history?path=" + encodeURIComponent(path));
      if (answer) this.setState({ entries: answer.entries, empty: answer.empty });
    } catch (error) {
      this.setState({ message: error.message });
    }
  },
  async compare(commit) {
    const path = this.path();
    const answer = await api("GET", `/desk/api/diff?path=${encodeURIComponent(path)}&commit=${commit}`);
    this.setState({ diff: answer.lines, diffOf: commit });
  },
  async restore(entry) {
    const question = t("restore_confirm", { when: when(entry.when), editor: entry.editor });
    if (!window.confirm(hasUnsavedChanges() ? `${question}\n\n${t("restore_unsaved")}` : question)) return;
    try {
      await api("POST", "/desk/api/restore", { path: this.path(), commit: entry.commit });
      leavePage(() => window.location.reload());
    } catch (error) {
      this.setState({ message: error.message });
    }
  },
  render() {
    const { entries, diff, diffOf, message, empty } = this.state;
    if (!this.path()) return h("p", { className: "nr-note" }, t("history_before_save"));
    if (entries === null) return h("p", { className: "nr-note" }, message || t("history_loading"));
    if (!entries.length) return h("p", { className: "nr-note" }, empty);
    return h("div", { className: "nr-history" },
      h("ol", null, entries.map((entry, index) => h("li", { key: entry.commit },
        h("span", { className: "nr-when" }, when(entry.when)), " ",
        h("strong", null, entry.editor), " ",
        // A change made elsewhere (a text editor, a script) has a technician's words as its
        // message, often English: the editor reads where it came from; the words stay a tooltip.
        entry.desk ? h("span", { className: "nr-muted" }, entry.message)
          : h("span", { className: "nr-muted", title: entry.message }, t("history_outside_desk")), " ",
        index === 0 ? h("span", { className: "nr-muted" }, t("history_now")) : [
          h("button", { key: "c", type: "button", className: "nr-small", onClick: () => this.compare(entry.commit) }, t("compare")),
          h("button", { key: "r", type: "button", className: "nr-small", onClick: () => this.restore(entry) }, t("restore")),
        ]))),
      message ? h("p", { className: "nr-note nr-error" }, message) : null,
      diff ? h("div", { className: "nr-diff" },
        h("p", { className: "nr-note" }, t("diff_head", { when: when((entries.find(e => e.commit === diffOf) || {}).when) }),
          h("del", null, t("diff_deleted")), t("names_separator"), h("ins", null, t("diff_added")), t("diff_end")),
        h("pre", null, diff.map((line, i) => line.op === "-" ? h("del", { key: i }, line.text + "\n")
          : line.op === "+" ? h("ins", { key: i }, line.text + "\n") : h("span", { key: i }, line.text + "\n")))) : null);
  },
});

// --- saves ---------------------------------------------------------------------------------------

const savedListeners = new Set();

export function onSaved(listener) {
  savedListeners.add(listener);
  return () => savedListeners.delete(listener);
}

export function announceSaved(path) {
  for (const listener of [...savedListeners]) listener(path);
}

export function registerWidgets() {
  CMS.registerWidget(WRAPPED.map(checked));
  CMS.registerWidget("newsdate", NewsDateControl);
  CMS.registerWidget("slug", SlugControl);
  CMS.registerWidget("newsbody", NewsBodyControl);
  CMS.registerWidget("leadphoto", LeadPhotoControl);
  CMS.registerWidget("deskpanel", DeskPanelControl);
  CMS.registerWidget("deskhistory", DeskHistoryControl);
}

export { WRAPPED, entryPath };
