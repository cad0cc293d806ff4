// The preview pane: the article's real page, as the site's templates and CSS render it.
//
// Decap's preview pane would draw the fields itself (an approximation); ours shows the
// page the live preview built from the saved file: /YYYY/MM/DD/<slug>/ for an article,
// /drafts/<slug>/ for a draft. That page carries the preview's reload script, so it
// reloads itself as soon as the rebuild after a save ends.

import { onSaved } from "./widgets.js";
import { DeskError, inOrder } from "./net.js";
import { t } from "./text.js";

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
      // Asked again on a timer and after each save: an older answer never replaces a newer one.
      this.ask = this.ask || inOrder();
      const page = await this.ask("GET", "/desk/api/page?path=" + encodeURIComponent(path));
      if (!page) return;
      const changed = page.url !== this.state.url || page.built !== this.state.built;
      this.setState({ url: page.url, draft: page.draft, built: page.built, building: page.building, loading: false, error: "",
        stamp: changed ? Date.now() : this.state.stamp });
      clearTimeout(this.timer);
      // Not built yet (the first build, or the rebuild after a save, is running): ask again.
      if (page.url && !page.built) this.timer = setTimeout(() => this.load(true), WAIT_MS);
      this.polls = page.built ? 0 : (this.polls || 0) + 1;
    } catch (error) {
      this.setState({ url: null, loading: false, error: error.message });
      // The desk unreachable a moment (restarted, busy): ask again; a refusal (4xx) stays shown.
      clearTimeout(this.timer);
      if (!(error instanceof DeskError) || error.status >= 500) this.timer = setTimeout(() => this.load(true), WAIT_MS);
    }
  },
  render() {
    const { path, url, draft, error } = this.state;
    const note = text => h("p", { style: { font: "15px/1.7 sans-serif", color: "#444", padding: "1.5em" } }, text);
    if (!path) return note(t("preview_before_save"));
    if (error) return note(error);
    if (!url) return note(t("preview_cannot"));
    if (!this.state.built && !this.state.building && this.polls > 1) {
      // The preview builds the latest issues and the articles edited in the last hours.
      return note(t("preview_not_in_scope"));
    }
    if (!this.state.built) return note(t("preview_building"));
    const full = window.location.origin + url;
    return h("div", { style: { display: "flex", flexDirection: "column", height: "100vh", margin: "-8px" } },
      h("p", { style: { font: "13px/1.6 sans-serif", margin: 0, padding: "6px 10px", background: "#f3f1ea", color: "#333" } },
        draft ? t("preview_draft") : t("preview_page"), h("a", { href: full, target: "_blank", rel: "noopener" }, url),
        t("preview_updates")),
      h("iframe", { key: this.state.stamp, src: full, title: t("preview_frame_title"), style: { flex: "1", border: "0", width: "100%" } }));
  },
});

export function registerPreview(collections) {
  for (const name of collections) CMS.registerPreviewTemplate(name, PagePreview);
}
