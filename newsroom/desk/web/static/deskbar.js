// The desk's own bar: who is signed in, the finder, the site preview, the articles held
// for later (定时发布) and the publish button. Plain DOM beside Decap's app (Decap has no
// place for a site-wide action).

import { checks } from "./check.js";
import { hasUnsavedChanges, leavePage, openEntry } from "./navigation.js";
import { api, inOrder } from "./net.js";
import { t } from "./text.js";
import { onSaved } from "./widgets.js";

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
const SCHEDULE_POLL_MS = 30000;

async function signOut() {
  if (hasUnsavedChanges() && !window.confirm(t("leave_unsaved"))) return;
  // A check of the form waits a moment after the last keystroke: sent after the sign-out
  // it would be refused (401), so none is sent from here on.
  checks.pause();
  try {
    await api("POST", "/desk/api/signout", {});
  } catch (error) {
    checks.resume();
    throw error;
  }
  localStorage.removeItem("decap-cms-user");
  leavePage(() => window.location.reload());
}

function dialogBox(id, title, ...content) {
  const close = element("button", { type: "button" }, t("close"));
  const dialog = element("dialog", { class: "nr-dialog", id, "aria-labelledby": `${id}-title` },
    element("h2", { id: `${id}-title` }, title), ...content, element("div", { class: "nr-dialog-buttons" }, close));
  close.addEventListener("click", () => dialog.close());
  return dialog;
}

/** The publish button's dialog: what a publish leaves out, its progress and result. */
function mountPublish() {
  const result = element("div", { class: "nr-publish-result", "aria-live": "polite" });
  const log = element("pre", { class: "nr-publish-log" });
  const details = element("details", { class: "nr-publish-details" }, element("summary", {}, t("publish_log")), log);
  const start = element("button", { type: "button", class: "nr-primary", id: "nr-publish-start" }, t("publish_start"));
  const dialog = dialogBox("nr-publish", t("publish_title"), element("p", {}, t("publish_intro")), result, details);
  dialog.querySelector(".nr-dialog-buttons").prepend(start);

  let timer = null;
  let startedHere = false; // a publish started from this opening of the dialog
  async function show(status) {
    result.textContent = "";
    log.textContent = (status.log || []).join("\n");
    const line = (text, cls) => result.append(element("p", { class: cls || "" }, text));
    // What this publish leaves out: articles held for later with their times, drafts.
    const held = status.held || {};
    if (held.waiting_head) {
      line(held.waiting_head, "nr-embargo");
      const list = element("ul", { class: "nr-waiting" });
      for (const item of held.waiting) list.append(element("li", {}, item));
      if (held.more) list.append(element("li", {}, held.more));
      result.append(list);
      if (held.how) line(held.how, "nr-note");
    }
    if (held.drafts) line(held.drafts, "nr-muted");
    if (status.state === "running") {
      line(t("publish_running", { editor: status.editor, started: status.started }), "nr-running");
      start.disabled = true;
    } else {
      start.disabled = false;
      const summary = t("publish_result", { summary: status.summary, finished: status.finished });
      if (status.state === "ok") line(summary, "nr-ok");
      // Just published from here: nothing more to start (the next opening offers it again).
      start.hidden = status.state === "ok" && startedHere;
      if (status.state === "failed") {
        line(summary, "nr-error");
        const list = element("ul", { class: "nr-problems" });
        for (const problem of status.problems || []) list.append(element("li", { class: "nr-problem" }, problem));
        if ((status.problems || []).length) result.append(list);
        else details.open = true;
      }
    }
    clearTimeout(timer);
    following = status.state === "running";
    if (following) timer = setTimeout(poll, POLL_MS);
  }
  const ask = inOrder(); // the status asked on opening may be answered after the start's reply
  let following = false; // the last state shown was "running": the result is still to come
  async function poll() {
    try {
      const status = await ask("GET", "/desk/api/publish");
      if (status) await show(status);
    } catch (error) {
      result.textContent = error.message;
      // The desk unreachable a moment while a publish runs: keep asking for its result.
      clearTimeout(timer);
      if (following) timer = setTimeout(poll, POLL_MS);
    }
  }
  start.addEventListener("click", async () => {
    startedHere = true;
    try {
      const status = await ask("POST", "/desk/api/publish", {});
      if (status) await show(status);
    } catch (error) {
      result.textContent = error.message;
      poll();
    }
  });
  document.body.append(dialog);
  return { open: () => { startedHere = false; start.hidden = false; dialog.showModal(); poll(); } };
}

/** 定时发布: the articles held for later with their times (each opens in the desk), how
 *  they will go out (the desk while it is open, a scheduler service, or a publish after
 *  their time), and what the desk's scheduler did. The button counts them. */
function mountSchedule(button) {
  const how = element("p", { class: "nr-note nr-schedule-how" });
  const guide = element("a", { href: "/desk/guide", target: "_blank", rel: "noopener", class: "nr-schedule-guide" },
    t("schedule_guide_link"));
  const head = element("p", {});
  const list = element("ul", { class: "nr-waiting nr-schedule-list" });
  const draftsHead = element("p", { class: "nr-note nr-warning" }, t("schedule_drafts_ahead"));
  const drafts = element("ul", { class: "nr-waiting nr-schedule-drafts" });
  const log = element("pre", { class: "nr-publish-log" });
  const details = element("details", { class: "nr-publish-details" }, element("summary", {}, t("schedule_log")), log);
  const dialog = dialogBox("nr-schedule", t("schedule_title"), how, element("p", { class: "nr-note" }, guide), head, list,
    draftsHead, drafts, details);
  const opening = item => {
    const text = t("schedule_item", { due: item.due, title: item.title });
    if (!item.slug) return element("li", {}, text);
    const hash = `#/collections/articles/entries/${item.slug}`;
    const link = element("a", { href: hash }, text);
    link.addEventListener("click", event => {
      event.preventDefault();
      dialog.close();
      openEntry("articles", hash);
    });
    return element("li", {}, link);
  };

  const ask = inOrder(); // refreshed on a timer, on opening and after a save: the newest answer wins
  async function refresh() {
    let status;
    try {
      status = await ask("GET", "/desk/api/schedule");
    } catch (error) {
      how.textContent = error.message;
      return;
    }
    if (!status) return;
    window.newsroomSchedule = status; // the embargo note under the date says the same
    button.textContent = status.waiting.length ? t("schedule_open_count", { count: status.waiting.length + status.more })
      : t("schedule_open");
    how.textContent = status.how;
    if (status.guide) guide.setAttribute("href", status.guide);
    how.classList.toggle("nr-warning", status.mode === "off");
    head.textContent = status.waiting.length ? t("schedule_waiting") : t("schedule_empty");
    list.replaceChildren(...status.waiting.map(opening));
    if (status.more) list.append(element("li", {}, t("schedule_more", { count: status.more })));
    drafts.replaceChildren(...status.drafts_ahead.map(opening));
    draftsHead.hidden = drafts.hidden = !status.drafts_ahead.length;
    log.textContent = status.log.join("\n");
    details.hidden = !status.log.length;
  }
  onSaved(() => setTimeout(refresh, 500));
  setInterval(refresh, SCHEDULE_POLL_MS);
  refresh();
  document.body.append(dialog);
  return { open: () => { dialog.showModal(); refresh(); } };
}

export function mountDeskBar(editor) {
  const publish = mountPublish();
  const finder = mountFinder();
  const scheduleButton = element("button", { type: "button", class: "nr-link nr-schedule-open", id: "nr-schedule-open" },
    t("schedule_open"));
  const schedule = mountSchedule(scheduleButton);
  scheduleButton.addEventListener("click", () => schedule.open());
  const bar = element("nav", { class: "nr-deskbar", "aria-label": t("bar_label") },
    element("span", { class: "nr-editor" }, element("span", { class: "nr-editor-label" }, t("editor_label")), editor,
      element("button", { type: "button", class: "nr-link", title: t("sign_out_title"), onclick: signOut }, t("sign_out"))),
    element("button", { type: "button", class: "nr-link nr-find", id: "nr-find-open", onclick: () => finder.open() },
      t("find_open")),
    element("a", { href: "/", target: "_blank", rel: "noopener" }, t("site_preview")),
    element("a", { href: "/desk/guide", target: "_blank", rel: "noopener", class: "nr-guide" }, t("guide_link")),
    scheduleButton,
    element("button", { type: "button", class: "nr-primary", id: "nr-publish-open", onclick: () => publish.open() },
      t("publish_title")));
  document.body.append(bar);
  // Decap's editor and the lists end above the bar, whatever its height (one row, or two on a phone).
  new ResizeObserver(() => {
    document.documentElement.style.setProperty("--nr-bar-h", `${Math.ceil(bar.getBoundingClientRect().height)}px`);
  }).observe(bar);
  hideMediaLibrary();
}

/** Find articles by any words of their headline or text (Decap's own search box needs three
 *  or more Chinese characters to match). Each hit opens the article in the desk. */
function mountFinder() {
  const input = element("input", { type: "search", id: "nr-find-q", placeholder: t("find_placeholder"),
    "aria-label": t("find_open") });
  const status = element("p", { class: "nr-note", "aria-live": "polite" });
  const list = element("ol", { class: "nr-find-hits" });
  const form = element("form", { class: "nr-row" }, input, element("button", { type: "submit", class: "nr-primary" },
    t("find_button")));
  const dialog = dialogBox("nr-find", t("find_open"), form, status, list);
  const ask = inOrder(); // searched twice in a row: the first search's hits never follow the second's
  form.addEventListener("submit", async event => {
    event.preventDefault();
    list.textContent = "";
    status.textContent = t("find_searching");
    try {
      const answer = await ask("GET", "/desk/api/search?q=" + encodeURIComponent(input.value));
      if (!answer) return;
      status.textContent = answer.hits.length ? t("find_found", { count: answer.hits.length }) : t("find_none");
      for (const hit of answer.hits) {
        const link = element("a", { href: `#/collections/${hit.collection}/entries/${hit.slug}` }, hit.title || hit.slug);
        link.addEventListener("click", event => {
          event.preventDefault();
          dialog.close();
          openEntry(hit.collection, link.getAttribute("href"));
        });
        const about = [hit.date, hit.page ? t("page_number", { page: hit.page }) : "",
          hit.status === "draft" ? t("status_draft") : ""].filter(Boolean).join(" · ");
        list.append(element("li", {}, link, element("span", { class: "nr-muted" }, `　${about}`)));
      }
    } catch (error) {
      status.textContent = error.message;
    }
  });
  document.body.append(dialog);
  return { open: () => { dialog.showModal(); input.focus(); } };
}

/** Decap's media library is for one site-wide folder; the desk puts photos beside each
 *  article (the photo inserter), so its header button is taken away. */
function hideMediaLibrary() {
  const label = t("decap_media_button");
  const hide = () => {
    for (const button of document.querySelectorAll("header button")) {
      if (button.textContent.trim() === label) button.closest("li").hidden = true;
    }
  };
  new MutationObserver(hide).observe(document.body, { childList: true, subtree: true });
  hide();
}
