// The desk's start: sign in, then Decap CMS with the newsroom's format, widgets and preview.

import { checks } from "./check.js";
import { mountDeskBar } from "./deskbar.js";
import { Format } from "./format.js";
import { guardEntryChanges, saveEnded } from "./navigation.js";
import { api } from "./net.js";
import { loadTexts, t } from "./text.js";
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
// site is published by the desk's own button, after `check`. Its phrases say so.
function savingWords() {
  return {
    editor: {
      editorToolbar: {
        publishing: t("decap_publishing"), publish: t("decap_publish"), published: t("decap_published"),
        publishNow: t("decap_publish"), publishAndCreateNew: t("decap_publish_and_create_new"),
        publishAndDuplicate: t("decap_publish_and_duplicate"),
        deletePublishedEntry: t("decap_delete_entry"), deleteEntry: t("decap_delete_entry"),
        unsavedChanges: t("decap_unsaved_changes"), changesSaved: t("decap_changes_saved"),
      },
      editor: {
        // Decap's own question before a link or a step back leaves unsaved changes: the desk's.
        onLeavePage: t("leave_unsaved"),
        onPublishing: t("decap_on_publishing"),
        onDeletePublishedEntry: t("decap_on_delete_published_entry"),
        onDeleteWithUnsavedChanges: t("decap_on_delete_with_unsaved_changes"),
      },
    },
    ui: {
      toast: {
        entrySaved: t("decap_entry_saved"), entryPublished: t("decap_entry_saved"),
        onFailToPublishEntry: t("decap_on_fail_to_publish_entry"),
        onFailToPersist: t("decap_on_fail_to_publish_entry"),
      },
    },
  };
}

function merged(base, extra) {
  const result = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    result[key] = value && typeof value === "object" ? merged(base[key] || {}, value) : value;
  }
  return result;
}

async function start() {
  await loadTexts();
  window.newsroomUnreachable = t("server_unreachable"); // boot.js: a request that found no server
  const who = await api("GET", "/desk/api/whoami");
  const editor = who.editor || await signIn();
  // Decap's proxy backend has no accounts: this is its record of a signed-in user, so it
  // opens on the article lists instead of its own login button.
  localStorage.setItem("decap-cms-user", JSON.stringify({ backendName: "proxy", name: editor }));
  // On a phone the form takes the whole width; the preview opens with Decap's eye button.
  if (window.innerWidth < 700 && !localStorage.getItem("cms.right-pane")) localStorage.setItem("cms.right-pane", "none");
  const [model, config, schedule] = await Promise.all([api("GET", "/desk/model.json"), api("GET", "/desk/config.yml"),
    api("GET", "/desk/api/schedule")]);
  window.newsroomSchedule = schedule; // how held articles go out: the date's embargo note says it
  const format = new Format(model);
  checks.format = format;
  window.newsroomFormat = format; // for the browser tests
  window.newsroomChecks = checks;
  CMS.registerCustomFormat("newsroom", "md", {
    fromFile: text => format.fromFile(text),
    toFile: data => format.toFile(data),
  });
  registerWidgets();
  CMS.registerLocale(config.locale, merged(CMS.getLocale(config.locale) || {}, savingWords()));
  registerPreview(config.collections.map(c => c.name));
  CMS.registerEventListener({ name: "preSave", handler: ({ entry }) => withFolder(entry.get("data")) });
  CMS.registerEventListener({
    name: "postSave",
    handler: ({ entry }) => {
      saveEnded();
      checks.saved(entry.get("path"));
      announceSaved(entry.get("path"));
    },
  });
  guardEntryChanges(() => checks.reset());
  CMS.init({ config: { ...withCheckedWidgets(config), load_config_file: false } });
  mountDeskBar(editor);
}

start();
