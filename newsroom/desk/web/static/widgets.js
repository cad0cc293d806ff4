// The desk's controls, as Decap widgets (CMS.registerWidget):
//
// - checked-<name>: a built-in control (string, text, number, select, list, markdown)
//   followed by the check's messages for its field;
// - newsdate: a date and an optional time (Beijing), with the embargo shown;
// - slug: the address's last part, the headline's pinyin from the server;
// - byline: the byline builder, 本报讯（记者 … 通讯员 …）, written at the start of the text;
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

// --- the byline builder ---------------------------------------------------------------------

const BYLINE = /^(本报讯)?[（(]\s*(.*?)\s*[）)]$/;
const ROLES = { "记者": "reporters", "通讯员": "correspondents" };

/** 本报讯（记者 白莹 马超 通讯员 李明） -> {prefix, reporters, correspondents}, or null
 *  for a byline this builder does not write (the editor then edits it as text). */
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

const BylineControl = createClass({
  displayName: "BylineControl",
  mixins: [CheckedMixin],
  getInitialState() {
    const parsed = parseByline(this.props.value || "");
    return { parsed: parsed || { prefix: "本报讯", reporters: "", correspondents: "" }, free: parsed === null };
  },
  set(change) {
    const parsed = { ...this.state.parsed, ...change };
    this.setState({ parsed });
    this.props.onChange(buildByline(parsed));
  },
  render() {
    report(this.props);
    const { forID, value, classNameWrapper, setActiveStyle, setInactiveStyle } = this.props;
    const events = { onFocus: setActiveStyle, onBlur: setInactiveStyle };
    const { parsed, free } = this.state;
    let inputs;
    if (free) {
      inputs = h("div", { className: "nr-row" },
        h("input", { id: forID, type: "text", value: value || "", ...events, "aria-label": "电头（原样）",
          onChange: event => this.props.onChange(event.target.value) }),
        h("span", { className: "nr-note" }, "这个电头按原样保留。"));
    } else {
      inputs = h("div", { className: "nr-byline-inputs" },
        h("label", null, "开头 ",
          h("select", { value: parsed.prefix, ...events, onChange: event => this.set({ prefix: event.target.value }) },
            h("option", { value: "本报讯" }, "本报讯"), h("option", { value: "" }, "（不写）"))),
        h("label", null, "记者 ",
          h("input", { id: forID, type: "text", value: parsed.reporters, placeholder: "如：白莹 马超", ...events,
            onChange: event => this.set({ reporters: event.target.value }) })),
        h("label", null, "通讯员 ",
          h("input", { type: "text", value: parsed.correspondents, placeholder: "如：李明", ...events,
            onChange: event => this.set({ correspondents: event.target.value }) })));
    }
    return h("div", { className: `${classNameWrapper} nr-byline` }, inputs,
      h("p", { className: "nr-note" }, value ? ["正文将以“", h("strong", { key: "b" }, value), "”开头。"] : "没有电头：稿件不署记者名。"),
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
  CMS.registerWidget("byline", BylineControl);
  CMS.registerWidget("deskpanel", DeskPanelControl);
  CMS.registerWidget("deskhistory", DeskHistoryControl);
}

export { WRAPPED, entryPath };
