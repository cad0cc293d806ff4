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
import { api } from "./net.js";

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
  if (hours < 1) return "不到一小时后";
  if (hours < 48) return `约 ${hours} 小时后`;
  return `约 ${Math.round(hours / 24)} 天后`;
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
        `文件里写的是“${raw}”，编辑台读不懂。请在下面重新选日期（和时间）。`));
    }
    children.push(h("div", { key: "inputs", className: "nr-date-inputs" },
      h("label", null, "日期 ",
        h("input", { id: forID, type: "date", value: parts ? parts.day : "", ...events,
          onChange: event => this.change(event.target.value, parts ? parts.time : "") })),
      h("label", null, "时间（可不填） ",
        h("input", { type: "time", value: parts ? parts.time : "", disabled: !parts, ...events,
          onChange: event => this.change(parts ? parts.day : beijingToday(), event.target.value) })),
      parts && parts.time ? h("button", { type: "button", className: "nr-small",
        onClick: () => this.change(parts.day, "") }, "不写时间") : null));
    if (parts && isEmbargoed(raw)) {
      const moment = beijingMoment(raw);
      children.push(h("p", { key: "embargo", className: "nr-note nr-embargo", role: "status" },
        `定时发布：北京时间 ${raw}（${describeWait(moment)}）以前，这篇稿件不会出现在网站上；时间到了以后的下一次发布才让它上线。`));
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
      const answer = await api("GET", "/desk/api/slug?title=" + encodeURIComponent(title || this.title()));
      if (answer.slug && answer.slug !== this.props.value) this.props.onChange(answer.slug);
    } catch (error) {
      // the check's message on the Slug field says what is wrong
    }
  },
  render() {
    report(this.props);
    const { forID, value, classNameWrapper, setActiveStyle, setInactiveStyle } = this.props;
    return h("div", { className: `${classNameWrapper} nr-slug` },
      h("div", { className: "nr-row" },
        h("span", { className: "nr-muted" }, "/年/月/日/"),
        h("input", { id: forID, type: "text", value: value || "", spellCheck: false, autoComplete: "off",
          onFocus: setActiveStyle, onBlur: setInactiveStyle,
          onChange: event => { this.setState({ auto: false }); this.props.onChange(event.target.value.trim()); } }),
        h("button", { type: "button", className: "nr-small", onClick: () => { this.setState({ auto: true }); this.generate(); } },
          "按标题生成")),
      this.isNew() ? null : h("p", { className: "nr-note" }, "已发布的稿件请不要改网址：旧网址的链接、引用会失效。"),
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
      return h("div", { className: "nr-byline" },
        h("p", { className: "nr-note" }, "电头：", h("strong", null, text),
          "（这种写法请直接在正文里改）"));
    }
    return h("fieldset", { className: "nr-byline" },
      h("legend", null, "电头"),
      h("div", { className: "nr-byline-inputs" },
        h("label", null, "开头 ",
          h("select", { value: parsed.prefix, onChange: event => this.set({ prefix: event.target.value }) },
            h("option", { value: "本报讯" }, "本报讯"), h("option", { value: "" }, "（不写）"))),
        h("label", null, "记者 ",
          h("input", { id: `${id}-reporters`, type: "text", value: parsed.reporters, placeholder: "如：白莹 马超",
            onChange: event => this.set({ reporters: event.target.value }) })),
        h("label", null, "通讯员 ",
          h("input", { id: `${id}-correspondents`, type: "text", value: parsed.correspondents, placeholder: "如：李明",
            onChange: event => this.set({ correspondents: event.target.value }) }))),
      h("p", { className: "nr-note" }, text ? ["正文以“", h("strong", { key: "b" }, text), "”开头。"]
        : "没有电头：填写记者或通讯员的姓名，电头就写进正文开头。"));
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
    if (!file) return this.setState({ error: "请先选择一张照片。" });
    if (!alt.trim()) return this.setState({ error: "请写“替代文字”：看不到图片的读者（如盲人用读屏软件）靠它知道图上是什么。" });
    const article = this.props.articlePath();
    if (!article) return this.setState({ error: "请先填好标题和日期：照片要放在稿件所在的文件夹里。" });
    this.setState({ busy: true, error: "" });
    try {
      const answer = await api("POST", "/desk/api/photo",
        { article, name: file.name, content: await readBase64(file) });
      const credit = name.trim() ? `${role ? role + " " : ""}${name.trim()} 摄` : "";
      this.props.onInsert(photoMarkdown({ file: answer.name, alt, caption, credit }));
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
          "插入照片"),
        done ? h("span", { className: "nr-note nr-ok" }, ` 已上传 ${done}，并写进了正文。`) : null);
    }
    const input = (key, label, props) => h("label", { className: "nr-photo-row" }, label,
      h("input", { type: "text", value: this.state[key], onChange: event => this.setState({ [key]: event.target.value }), ...props }));
    return h("fieldset", { className: "nr-photo" },
      h("legend", null, "插入照片"),
      // The browser's own file button speaks the browser's language ("Choose File"): the
      // input is hidden behind a button of ours that says what it does in Chinese.
      h("div", { className: "nr-photo-row" }, "照片（JPEG、PNG 或 WebP）",
        h("input", { id: `${id}-photo`, type: "file", className: "nr-file-input", accept: "image/jpeg,image/png,image/webp",
          ref: node => { this.fileInput = node; },
          onChange: event => this.setState({ fileName: (event.target.files[0] || {}).name || "" }) }),
        h("label", { htmlFor: `${id}-photo`, className: "nr-small nr-file-button" }, "选择照片……"),
        h("span", { className: "nr-muted" }, this.state.fileName || "还没有选照片")),
      input("alt", "替代文字（图上是什么，必填）", { placeholder: "如：篮球场上，两队队员在篮下拼抢" }),
      input("caption", "图注", { placeholder: "如：联赛首日比赛现场。" }),
      h("div", { className: "nr-photo-row" }, "摄影 ",
        h("select", { value: role, "aria-label": "摄影者的身份", onChange: event => this.setState({ role: event.target.value }) },
          CREDIT_ROLES.map(r => h("option", { key: r, value: r }, r || "（不写身份）"))),
        h("input", { type: "text", value: name, "aria-label": "摄影者姓名", placeholder: "姓名", onChange: event => this.setState({ name: event.target.value }) })),
      h("p", { className: "nr-note" }, "照片存在稿件旁边（同一个文件夹），网站发布时另行压缩、去掉拍摄信息（如位置）。"),
      error ? h("p", { className: "nr-note nr-error", role: "alert" }, error) : null,
      h("div", { className: "nr-row" },
        h("button", { type: "button", className: "nr-primary", disabled: busy, onClick: () => this.insert() },
          busy ? "正在上传……" : "上传并插入正文"),
        h("button", { type: "button", className: "nr-small", onClick: () => this.setState({ open: false, error: "" }) }, "取消")));
  },
});

const NewsBodyControl = createClass({
  displayName: "NewsBodyControl",
  mixins: [CheckedMixin],
  getInitialState() {
    return { generation: 0 };
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
        onInsert: markdown => this.replace(withPhoto(this.props.value || "", markdown)) }),
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
    const options = [h("option", { key: "", value: "" }, photos.length ? `正文里的第一张（${photos[0].file}）` : "正文里的第一张照片（现在没有照片）")];
    for (const photo of photos) {
      options.push(h("option", { key: photo.file, value: photo.file }, `${photo.file}　${photo.alt}`));
    }
    const none = ["none", "无"].includes(value.toLowerCase());
    if (value && !none && !photos.some(photo => photo.file === value)) {
      options.push(h("option", { key: value, value }, `${value}（只用于列表和分享）`));
    }
    options.push(h("option", { key: "none", value: none ? value : "none" }, "不要题图"));
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
  },
  componentWillUnmount() {
    clearInterval(this.timer);
    if (this.stopChecks) this.stopChecks();
    const path = this.path();
    if (path) api("POST", "/desk/api/presence", { path, leave: true }).catch(() => {});
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
      idle: "", checking: "正在检查……",
      unsaved: "检查了尚未保存的修改：", saved: "检查了已保存的稿件：", failed: "检查没有完成（编辑台没有回答）。",
    }[checks.state];
    const parts = [];
    if (this.state.others.length) {
      parts.push(h("p", { key: "others", className: "nr-note nr-warning nr-others", role: "alert" },
        this.state.others.map(o => o.editor).join("、"),
        " 也打开了这篇稿件。两人同时修改时，后保存的人会被拦下，以免覆盖先保存的修改；请先商量好由谁来改。"));
    }
    if (checks.state !== "idle") {
      parts.push(h("p", { key: "summary", className: "nr-check-summary " + (errors ? "nr-error" : warnings ? "nr-warning" : "nr-ok") },
        state, " ",
        checks.state === "checking" || checks.state === "failed" ? "" :
          errors || warnings ? `${errors} 个错误，${warnings} 条提示（写在相应的栏目下面）。${errors ? "有错误的稿件可以保存，但发布网站时会被拦下。" : ""}` :
            "没有发现问题。"));
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
      const answer = await api("GET", "/desk/api/history?path=" + encodeURIComponent(path));
      this.setState({ entries: answer.entries, empty: answer.empty });
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
    if (!window.confirm(`把这篇稿件恢复到 ${when(entry.when)}（${entry.editor}）的版本？现在的版本仍留在修改记录里，可以再恢复回来。`)) return;
    try {
      await api("POST", "/desk/api/restore", { path: this.path(), commit: entry.commit });
      window.location.reload();
    } catch (error) {
      this.setState({ message: error.message });
    }
  },
  render() {
    const { entries, diff, diffOf, message, empty } = this.state;
    if (!this.path()) return h("p", { className: "nr-note" }, "保存以后，这里列出每次保存的时间和修改人。");
    if (entries === null) return h("p", { className: "nr-note" }, message || "正在读取修改记录……");
    if (!entries.length) return h("p", { className: "nr-note" }, empty);
    return h("div", { className: "nr-history" },
      h("ol", null, entries.map((entry, index) => h("li", { key: entry.commit },
        h("span", { className: "nr-when" }, when(entry.when)), " ",
        h("strong", null, entry.editor), " ",
        h("span", { className: "nr-muted" }, entry.message), " ",
        index === 0 ? h("span", { className: "nr-muted" }, "（现在的版本）") : [
          h("button", { key: "c", type: "button", className: "nr-small", onClick: () => this.compare(entry.commit) }, "与现在比较"),
          h("button", { key: "r", type: "button", className: "nr-small", onClick: () => this.restore(entry) }, "恢复到这个版本"),
        ]))),
      message ? h("p", { className: "nr-note nr-error" }, message) : null,
      diff ? h("div", { className: "nr-diff" },
        h("p", { className: "nr-note" }, `${when((entries.find(e => e.commit === diffOf) || {}).when)} 的版本与现在相比：`,
          h("del", null, "删去的"), "、", h("ins", null, "加上的"), "。"),
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
