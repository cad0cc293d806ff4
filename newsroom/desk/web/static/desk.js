// The desk's start: sign in, then Decap CMS with the newsroom's format, widgets and preview.

import { checks } from "./check.js";
import { mountDeskBar } from "./deskbar.js";
import { Format } from "./format.js";
import { api } from "./net.js";
import { registerPreview } from "./preview.js";
import { announceSaved, registerWidgets, WRAPPED } from "./widgets.js";

function signIn() {
  const main = document.getElementById("nr-signin");
  const form = document.getElementById("nr-signin-form");
  const error = document.getElementById("nr-signin-error");
  main.hidden = false;
  document.getElementById("nr-signin-name").focus();
  return new Promise(resolve => {
    form.addEventListener("submit", async event => {
      event.preventDefault();
      error.textContent = "";
      try {
        const answer = await api("POST", "/desk/api/signin", { name: form.elements.name.value });
        main.remove();
        resolve(answer.editor);
      } catch (problem) {
        error.textContent = problem.message;
      }
    });
  });
}

/** Decap's config with each built-in control replaced by its checked twin (widgets.js). */
function withCheckedWidgets(config) {
  const rewrite = field => {
    const widget = field.widget || "string";
    return WRAPPED.includes(widget) ? { ...field, widget: `checked-${widget}` } : field;
  };
  return { ...config, collections: config.collections.map(c => ({ ...c, fields: c.fields.map(rewrite) })) };
}

/** Before a save: the month folder from the article's own date (Beijing), not the browser's clock. */
function withFolder(data) {
  const match = /^(\d{4})-(\d{2})/.exec(String(data.get("date") || ""));
  if (!match) return data;
  return data.set("desk_yyyy", match[1]).set("desk_mm", match[2]);
}

// Decap calls writing a file "publishing" (发布); on this desk that is saving (保存): the
// site is published by the desk's own button, after `check`. Its Chinese phrases say so.
const SAVING_WORDS = {
  editor: {
    editorToolbar: {
      publishing: "正在保存……", publish: "保存", published: "已保存", publishNow: "保存",
      publishAndCreateNew: "保存，然后新建一篇", publishAndDuplicate: "保存，然后复制一篇",
      deletePublishedEntry: "删除稿件", deleteEntry: "删除稿件",
    },
    editor: {
      onPublishing: "保存这篇稿件吗？",
      onDeletePublishedEntry: "删除这篇稿件吗？删除也记在修改记录里，需要时可以请技术人员恢复。",
      onDeleteWithUnsavedChanges: "删除这篇稿件和尚未保存的修改吗？",
    },
  },
  ui: { toast: { entryPublished: "稿件已保存（网站在“发布网站”以后更新）", onFailToPublishEntry: "保存失败：%{details}" } },
};

function merged(base, extra) {
  const result = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    result[key] = value && typeof value === "object" ? merged(base[key] || {}, value) : value;
  }
  return result;
}

async function start() {
  const who = await api("GET", "/desk/api/whoami");
  const editor = who.editor || await signIn();
  // Decap's proxy backend has no accounts: this is its record of a signed-in user, so it
  // opens on the article lists instead of its own login button.
  localStorage.setItem("decap-cms-user", JSON.stringify({ backendName: "proxy", name: editor }));
  // On a phone the form takes the whole width; the preview opens with Decap's eye button.
  if (window.innerWidth < 700 && !localStorage.getItem("cms.right-pane")) localStorage.setItem("cms.right-pane", "none");
  const [model, config] = await Promise.all([api("GET", "/desk/model.json"), api("GET", "/desk/config.yml")]);
  const format = new Format(model);
  checks.format = format;
  window.newsroomFormat = format; // for the browser tests
  window.newsroomChecks = checks;
  CMS.registerCustomFormat("newsroom", "md", {
    fromFile: text => format.fromFile(text),
    toFile: data => format.toFile(data),
  });
  registerWidgets();
  CMS.registerLocale("zh_Hans", merged(CMS.getLocale("zh_Hans") || {}, SAVING_WORDS));
  registerPreview(config.collections.map(c => c.name));
  CMS.registerEventListener({ name: "preSave", handler: ({ entry }) => withFolder(entry.get("data")) });
  CMS.registerEventListener({
    name: "postSave",
    handler: ({ entry }) => {
      checks.saved(entry.get("path"));
      announceSaved(entry.get("path"));
    },
  });
  window.addEventListener("hashchange", () => checks.reset());
  CMS.init({ config: { ...withCheckedWidgets(config), load_config_file: false } });
  mountDeskBar(editor);
}

start();
