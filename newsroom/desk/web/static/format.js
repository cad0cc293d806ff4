// The newsroom's article files in the browser: Decap's custom format "newsroom".
//
// fromFile reads a file as newsroom/paper/content.py's split_text does (Python-Markdown's
// meta extension: `Key: value` lines, a continuation indented 4+ spaces, the first blank
// line ends the block); toFile writes it as format_article does (the canonical form: the
// content model's order, list fields joined with ", ", one blank line, the body, one final
// newline). tests/test_desk_browser.py runs both on every sample article against the
// Python functions: a file saved by the desk is byte-identical to the canonical form.
//
// Entry data keys are field names in lower case, and `body` the text after the metadata
// (the byline builder and the photo inserter edit it in place, widgets.js). Keys starting
// with desk_ are computed for the lists (groups, filters, sorting) and never written.

import { t } from "./text.js";

const META_LINE = /^[ ]{0,3}([A-Za-z0-9_-]+):\s*([^\n]*)$/;
const META_MORE = /^[ ]{4,}([^\n]*)$/;
const LIST_SEPARATORS = /[,，、;；]/;
export const DATE_FORM = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?$/;

function strip(text) {
  return String(text).trim();
}

export function splitList(value) {
  return String(value || "").split(LIST_SEPARATORS).map(strip).filter(Boolean);
}

/** [items [[key, value, line]], body, body line], as split_text in Python. */
export function splitText(text) {
  const lines = String(text).replace(/\r\n/g, "\n").replace(/\r/g, "\n").split("\n");
  const items = [];
  let index = 0;
  let broke = false;
  for (index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (!strip(line)) {
      index += 1;
      broke = true;
      break;
    }
    const match = META_LINE.exec(line);
    if (match) {
      items.push([match[1], strip(match[2]), index + 1]);
      continue;
    }
    const more = META_MORE.exec(line);
    if (more && items.length) {
      const last = items[items.length - 1];
      last[1] = strip(last[1] + " " + strip(more[1]));
      continue;
    }
    broke = true;
    break;
  }
  if (!broke) index = lines.length;
  const body = lines.slice(index).join("\n").replace(/^\n+/, "").replace(/\n+$/, "");
  return [items, body, index + 1];
}

export class Format {
  constructor(model) {
    this.fields = model.fields;
    this.districts = model.districts || {}; // 密云 -> 密云区: the picker offers the official names
    this.byKey = new Map(this.fields.map((field, rank) => [field.key, { ...field, rank }]));
  }

  rankOf(key) {
    const field = this.byKey.get(key.toLowerCase());
    return field ? field.rank : this.fields.length;
  }

  isList(field) {
    return field.control === "list" || field.control === "topics";
  }

  /** The file's text -> Decap's entry data. */
  fromFile(text) {
    const [items, fullBody] = splitText(text);
    const data = {};
    const extra = []; // [key as written, value, position]: unknown fields and repeats
    items.forEach(([key, value], position) => {
      const field = this.byKey.get(key.toLowerCase());
      if (!field) {
        extra.push([key, value, position]);
      } else if (field.repeatable) {
        (data[field.key] = data[field.key] || []).push(value);
      } else if (field.key in data) {
        extra.push([key, value, position]); // given twice: kept, and `check` says so
      } else {
        data[field.key] = this.isList(field) ? splitList(value) : value;
      }
    });
    if (extra.length) data.desk_extra = extra;
    // A district written short (密云) shows in the picker as its official name (密云区), and the
    // file keeps what it had unless the editor picks another district.
    for (const field of this.fields.filter(f => f.control === "district" && data[f.key])) {
      const official = this.officialDistrict(data[field.key]);
      if (official && official !== data[field.key]) {
        data[`desk_written_${field.key}`] = data[field.key];
        data[field.key] = official;
      }
    }
    data.body = fullBody;
    return Object.assign(data, listKeys(data));
  }

  /** Decap's entry data -> the file's text in the canonical form. */
  toFile(data) {
    const ranked = [];
    let position = 0;
    for (const field of this.fields) {
      let values = data[field.key];
      if (values === undefined || values === null) continue;
      const written = data[`desk_written_${field.key}`];
      if (field.control === "district" && written && this.officialDistrict(written) === strip(values)) values = written;
      if (field.repeatable) {
        values = toArray(values);
      } else if (this.isList(field)) {
        values = [toArray(values).map(String).join(", ")];
      } else {
        values = [values];
      }
      for (const value of values) ranked.push([this.byKey.get(field.key).rank, position++, field.name, value, field]);
    }
    for (const [key, value] of toArray(data.desk_extra)) {
      ranked.push([this.rankOf(key), position++, this.spelled(key), value, this.byKey.get(key.toLowerCase())]);
    }
    ranked.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let head = "";
    for (const [, , name, raw, field] of ranked) {
      let value = strip(String(raw).split("\n").join(" "));
      if (field && this.isList(field)) value = splitList(value).join(", ");
      if (value) head += `${name}: ${value}\n`;
    }
    const body = String(data.body || "")
      .replace(/\r\n/g, "\n").replace(/\r/g, "\n").replace(/^\n+/, "").replace(/\n+$/, "");
    return head + "\n" + (body ? body + "\n" : "");
  }

  officialDistrict(value) {
    const key = String(value || "").replace(/\s+/g, "");
    return this.districts[key] || this.districts[key.toLowerCase()] || null;
  }

  spelled(key) {
    const field = this.byKey.get(key.toLowerCase());
    return field ? field.name : key;
  }
}

function toArray(value) {
  if (value === undefined || value === null || value === "") return [];
  if (Array.isArray(value)) return value;
  if (typeof value.toJS === "function") return value.toJS();
  return [value];
}

function pad(number) {
  return String(number).padStart(2, "0");
}

/** The computed keys the lists group, filter and sort by (never written to a file). */
export function listKeys(data, now = new Date()) {
  const date = String(data.date || "");
  const day = date.slice(0, 10);
  const page = parseInt(data.page, 10);
  const order = parseInt(data.pageorder, 10);
  const status = String(data.status || "published").trim().toLowerCase() || "published";
  const keys = {
    desk_date: day || t("list_no_date"),
    desk_month: day.slice(0, 7),
    desk_status: status,
    desk_district: String(data.district || "").trim() || t("district_none"),
    desk_issue: `${day || t("list_no_date")} ` + (page > 0 ? t("page_number", { page }) + (data.pagename ? " " + data.pagename : "")
      : t("list_online")),
    desk_sort: `${day} ${page > 0 ? pad(99 - page) : "00"} ${order > 0 ? pad(99 - order) : "00"}`,
    desk_embargo: isEmbargoed(date, now) ? "yes" : "no",
  };
  const parts = [day, page > 0 ? t("page_number", { page }) : t("list_online_short"), status === "draft" ? t("status_draft") : "",
    keys.desk_embargo === "yes" ? t("list_embargo") : ""].filter(Boolean);
  keys.desk_summary = `${data.title || t("list_no_title")}　${parts.join(" · ")}`;
  return keys;
}

/** The moment `value` (Beijing time) stands for, as a Date, or null. */
export function beijingMoment(value) {
  const match = DATE_FORM.exec(String(value || "").trim());
  if (!match) return null;
  const [, y, m, d, hh = "00", mm = "00"] = match;
  return new Date(Date.UTC(+y, +m - 1, +d, +hh - 8, +mm));
}

export function isEmbargoed(value, now = new Date()) {
  const moment = beijingMoment(value);
  return moment !== null && moment > now;
}
