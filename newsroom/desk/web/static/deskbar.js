// The desk's own bar: who is signed in, the site preview, and the publish button.
// Plain DOM beside Decap's app (Decap has no place for a site-wide action).

import { api } from "./net.js";

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "onclick") node.addEventListener("click", value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

const POLL_MS = 1500;

async function signOut() {
  await api("POST", "/desk/api/signout", {});
  localStorage.removeItem("decap-cms-user");
  window.location.reload();
}

export function mountDeskBar(editor) {
  const result = element("div", { class: "nr-publish-result", "aria-live": "polite" });
  const log = element("pre", { class: "nr-publish-log" });
  const details = element("details", { class: "nr-publish-details" }, element("summary", {}, "全部输出（给技术人员看）"), log);
  const start = element("button", { type: "button", class: "nr-primary", id: "nr-publish-start" }, "开始发布");
  const close = element("button", { type: "button" }, "关闭");
  const dialog = element("dialog", { class: "nr-dialog", id: "nr-publish", "aria-labelledby": "nr-publish-title" },
    element("h2", { id: "nr-publish-title" }, "发布网站"),
    element("p", {}, "发布前会检查全部稿件：有错误就不发布，网站保持原样。草稿和定时发布未到时间的稿件不会上线。发布要一两分钟。"),
    result, details, element("div", { class: "nr-dialog-buttons" }, start, close));
  close.addEventListener("click", () => dialog.close());

  let timer = null;
  async function show(status) {
    result.textContent = "";
    log.textContent = (status.log || []).join("\n");
    const line = (text, cls) => result.append(element("p", { class: cls || "" }, text));
    // What this publish leaves out: tomorrow's embargoed articles with their times, drafts.
    const held = status.held || {};
    if (held.waiting_head) {
      line(held.waiting_head, "nr-embargo");
      const list = element("ul", { class: "nr-waiting" });
      for (const item of held.waiting) list.append(element("li", {}, item));
      if (held.more) list.append(element("li", {}, held.more));
      result.append(list);
    }
    if (held.drafts) line(held.drafts, "nr-muted");
    if (status.state === "running") {
      line(`正在发布（${status.editor} 在 ${status.started} 开始）……`, "nr-running");
      start.disabled = true;
    } else {
      start.disabled = false;
      if (status.state === "ok") line(`${status.summary}（${status.finished}）`, "nr-ok");
      if (status.state === "failed") {
        line(`${status.summary}（${status.finished}）`, "nr-error");
        const list = element("ul", { class: "nr-problems" });
        for (const problem of status.problems || []) list.append(element("li", { class: "nr-problem" }, problem));
        if ((status.problems || []).length) result.append(list);
        else details.open = true;
      }
    }
    clearTimeout(timer);
    if (status.state === "running") timer = setTimeout(poll, POLL_MS);
  }
  async function poll() {
    try {
      await show(await api("GET", "/desk/api/publish"));
    } catch (error) {
      result.textContent = error.message;
    }
  }
  start.addEventListener("click", async () => {
    try {
      await show(await api("POST", "/desk/api/publish", {}));
    } catch (error) {
      result.textContent = error.message;
      poll();
    }
  });

  const finder = mountFinder();

  const bar = element("nav", { class: "nr-deskbar", "aria-label": "编辑台" },
    element("span", { class: "nr-editor" }, element("span", { class: "nr-editor-label" }, "编辑："), editor,
      element("button", { type: "button", class: "nr-link", title: "换一个人使用编辑台", onclick: signOut }, "换人")),
    element("button", { type: "button", class: "nr-link nr-find", id: "nr-find-open", onclick: () => finder.open() }, "查找稿件"),
    element("a", { href: "/", target: "_blank", rel: "noopener" }, "网站预览"),
    element("a", { href: "/desk/guide", target: "_blank", rel: "noopener", class: "nr-guide" }, "使用说明"),
    element("button", { type: "button", class: "nr-primary", id: "nr-publish-open", onclick: () => { dialog.showModal(); poll(); } },
      "发布网站"));
  document.body.append(bar, dialog);
  hideMediaLibrary();
}

/** Find articles by any words of their headline or text (Decap's own search box needs three
 *  or more Chinese characters to match). Each hit opens the article in the desk. */
function mountFinder() {
  const input = element("input", { type: "search", id: "nr-find-q", placeholder: "标题或正文里的字词，如：篮球",
    "aria-label": "查找稿件" });
  const status = element("p", { class: "nr-note", "aria-live": "polite" });
  const list = element("ol", { class: "nr-find-hits" });
  const close = element("button", { type: "button" }, "关闭");
  const form = element("form", { class: "nr-row" }, input, element("button", { type: "submit", class: "nr-primary" }, "查找"));
  const dialog = element("dialog", { class: "nr-dialog", id: "nr-find", "aria-labelledby": "nr-find-title" },
    element("h2", { id: "nr-find-title" }, "查找稿件"), form, status, list,
    element("div", { class: "nr-dialog-buttons" }, close));
  close.addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async event => {
    event.preventDefault();
    list.textContent = "";
    status.textContent = "正在查找……";
    try {
      const answer = await api("GET", "/desk/api/search?q=" + encodeURIComponent(input.value));
      status.textContent = answer.hits.length ? `找到 ${answer.hits.length} 篇（最多列出 50 篇，最新的在前）：` : "没有找到。";
      for (const hit of answer.hits) {
        const link = element("a", { href: `#/collections/${hit.collection}/entries/${hit.slug}` }, hit.title || hit.slug);
        link.addEventListener("click", event => {
          event.preventDefault();
          dialog.close();
          openEntry(hit.collection, link.getAttribute("href"));
        });
        const about = [hit.date, hit.page ? `第${hit.page}版` : "", hit.status === "draft" ? "草稿" : ""].filter(Boolean).join(" · ");
        list.append(element("li", {}, link, element("span", { class: "nr-muted" }, `　${about}`)));
      }
    } catch (error) {
      status.textContent = error.message;
    }
  });
  document.body.append(dialog);
  return { open: () => { dialog.showModal(); input.focus(); } };
}

/** Open an entry from anywhere. Decap's editor does not load another entry when the address
 *  changes from one entry to the next (the form would keep the first article under the
 *  second's address, and a save would go to the first), so an open editor is left for the
 *  list first; if the editor stays (Decap asked about unsaved changes and the editor chose
 *  to stay), nothing else happens. */
async function openEntry(collection, hash) {
  const editorOpen = () => document.querySelector("input[id^='title-field-']") !== null;
  if (/\/(entries\/|new)/.test(location.hash) && editorOpen()) {
    location.hash = `#/collections/${collection}`;
    for (let waited = 0; editorOpen() && waited < 5000; waited += 100) {
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    if (editorOpen()) return;
  }
  location.hash = hash;
}

/** Decap's media library is for one site-wide folder; the desk puts photos beside each
 *  article (the photo inserter), so its header button is taken away. */
function hideMediaLibrary() {
  const hide = () => {
    for (const button of document.querySelectorAll("header button")) {
      if (button.textContent.trim() === "媒体") button.closest("li").hidden = true;
    }
  };
  new MutationObserver(hide).observe(document.body, { childList: true, subtree: true });
  hide();
}
