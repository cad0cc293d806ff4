// The preview pane: the article's real page, as the site's templates and CSS render it.
//
// Decap's preview pane would draw the fields itself (an approximation); ours shows the
// page the live preview built from the saved file: /YYYY/MM/DD/<slug>/ for an article,
// /drafts/<slug>/ for a draft. That page carries the preview's reload script, so it
// reloads itself as soon as the rebuild after a save ends.

import { onSaved } from "./widgets.js";
import { api } from "./net.js";

const h = (...args) => window.h(...args);
const WAIT_MS = 2000;

const PagePreview = window.createClass({
  displayName: "PagePreview",
  getInitialState() {
    return { path: null, url: null, draft: false, loading: false, error: "" };
  },
  componentDidMount() {
    this.load();
    this.stopSaved = onSaved(() => setTimeout(() => this.load(true), 300));
  },
  componentDidUpdate() {
    if (this.path() !== this.state.path) this.load();
  },
  componentWillUnmount() {
    if (this.stopSaved) this.stopSaved();
    clearTimeout(this.timer);
  },
  path() {
    return this.props.entry && this.props.entry.get("path");
  },
  async load(force) {
    const path = this.path();
    if (!force && path === this.state.path) return;
    this.setState({ path, loading: Boolean(path) });
    if (!path) return;
    try {
      const page = await api("GET", "/desk/api/page?path=" + encodeURIComponent(path));
      const changed = page.url !== this.state.url || page.built !== this.state.built;
      this.setState({ url: page.url, draft: page.draft, built: page.built, building: page.building, loading: false, error: "",
        stamp: changed ? Date.now() : this.state.stamp });
      clearTimeout(this.timer);
      // Not built yet (the first build, or the rebuild after a save, is running): ask again.
      if (page.url && !page.built) this.timer = setTimeout(() => this.load(true), WAIT_MS);
      this.polls = page.built ? 0 : (this.polls || 0) + 1;
    } catch (error) {
      this.setState({ url: null, loading: false, error: error.message });
    }
  },
  render() {
    const { path, url, draft, error } = this.state;
    const note = text => h("p", { style: { font: "15px/1.7 sans-serif", color: "#444", padding: "1.5em" } }, text);
    if (!path) return note("保存以后，这里显示这篇稿件在网站上的样子（用网站自己的模板和样式生成）。");
    if (error) return note(error);
    if (!url) return note("这篇稿件还不能生成网页（日期或标题有误）：请按左边的提示改正后保存。");
    if (!this.state.built && !this.state.building && this.polls > 1) {
      // The preview builds the latest issues and the articles edited in the last hours.
      return note("网站预览里还没有这一篇：预览只生成最近几期和最近几小时里改过的稿件。保存一次这篇稿件，预览就会生成它的网页。");
    }
    if (!this.state.built) return note("正在生成网页，请稍候……（保存以后，网站预览要重新生成，一般需要几秒到半分钟）");
    const full = window.location.origin + url;
    return h("div", { style: { display: "flex", flexDirection: "column", height: "100vh", margin: "-8px" } },
      h("p", { style: { font: "13px/1.6 sans-serif", margin: 0, padding: "6px 10px", background: "#f3f1ea", color: "#333" } },
        draft ? "草稿预览（不在网站上）：" : "网页预览：", h("a", { href: full, target: "_blank", rel: "noopener" }, url),
        "　保存后几秒钟自动更新。"),
      h("iframe", { key: this.state.stamp, src: full, title: "网页预览", style: { flex: "1", border: "0", width: "100%" } }));
  },
});

export function registerPreview(collections) {
  for (const name of collections) CMS.registerPreviewTemplate(name, PagePreview);
}
