// The fleet console: kiosks, one kiosk's detail, publishing and promoting signed bundles.
// Every text from a kiosk goes in through textContent, never as HTML.
"use strict";

const API = "/api/v1/fleet";
const CSRF = document.querySelector('meta[name="csrf-token"]').content;
const REFRESH_MS = 3000;
let openKiosk = null;

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

async function api(method, path, body) {
  const options = {method, headers: {"Accept": "application/json"}, credentials: "same-origin"};
  if (method !== "GET") options.headers["X-CSRF-Token"] = CSRF;
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const answer = await fetch(API + path, options);
  if (answer.status === 401) { window.location.assign("/fleet/"); throw new Error("logged out"); }
  const data = answer.status === 204 ? null : await answer.json().catch(() => null);
  if (!answer.ok) {
    const error = new Error(data && data.message ? `${data.code}: ${data.message}` : `HTTP ${answer.status}`);
    error.status = answer.status;
    throw error;
  }
  return data;
}

function age(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds < 90) return `${seconds} 秒 s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} 分 min`;
  return `${Math.round(seconds / 3600)} 时 h`;
}

function paperText(paper) {
  if (!paper) return "—";
  const names = {ok: "正常 ok", near_end: "将尽 low", out: "缺纸 out", unknown: "未知 unknown"};
  let text = names[paper.state] || paper.state;
  if (paper.tickets_left !== null && paper.tickets_left !== undefined) text += ` · ≈${paper.tickets_left} 张 tickets`;
  return text;
}

const state = {view: "kiosks", sort: "kiosk", order: "asc", page: 1, key: null, cursor: null, rows: new Map(), ids: []};

function query() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(document.getElementById("filters"))) if (value) params.set(name, value);
  if (state.view === "alerts") params.set("alerting", "true");
  params.set("sort", state.sort);
  params.set("order", state.order);
  params.set("page", String(state.page));
  return params;
}

function kioskRow(k, nowTs) {
  const row = el("tr");
  row.dataset.kiosk = k.kiosk_id;
  row.className = k.online ? "online" : "offline";
  const id = el("td");
  const link = el("a", k.kiosk_id);
  link.href = "#kiosk/" + encodeURIComponent(k.kiosk_id);
  id.append(link);
  row.append(id, el("td", k.hall || "—"), el("td", k.group || "—"));
  const status = el("td", null, "status");
  const ageS = k.last_heartbeat_ts === null ? null : Math.max(0, Math.round(nowTs - k.last_heartbeat_ts));
  status.append(el("span", k.online ? "在线 online" : "离线 offline", k.online ? "badge ok" : "badge bad"),
                el("span", " " + age(ageS), "muted"));
  row.append(status);
  const versions = el("td");
  versions.append(el("div", k.app_version || "—"));
  let config = k.config_version === null ? "—" : `配置 config v${k.config_version}`;
  if (k.target_version && k.target_version !== k.config_version) config += ` → v${k.target_version}`;
  versions.append(el("div", config, "config-version"));
  row.append(versions, el("td", paperText(k.paper), "paper"),
             el("td", k.outbox ? `${k.outbox.unfinished}` + (k.outbox.parked ? ` (${k.outbox.parked} parked)` : "") : "—",
                "outbox"));
  const alerts = el("td", null, "alerts");
  for (const a of k.alerts) alerts.append(el("span", `${a.zh} ${a.en}`, `alert ${a.level} alert-${a.code}`));
  if (k.last_refusal) alerts.append(el("div", `拒绝 refused: ${k.last_refusal.reason}`, "muted"));
  row.append(alerts);
  const errors = el("td", null, "errors");
  for (const line of (k.last_errors || []).slice(-2)) errors.append(el("div", line));
  row.append(errors);
  return row;
}

function fillSelect(id, values, labels) {
  const select = document.getElementById(id);
  const chosen = select.value;
  const wanted = ["", ...values].join("\n");
  if (select.dataset.values === wanted) return;
  select.dataset.values = wanted;
  select.replaceChildren(el("option", "全部 all"));
  select.firstChild.value = "";
  for (const value of values) {
    const option = el("option", labels ? labels(value) : value);
    option.value = typeof value === "string" ? value : value.code;
    select.append(option);
  }
  select.value = chosen;
}

function renderFacets(answer) {
  const f = answer.facets;
  fillSelect("f-hall", f.halls);
  fillSelect("f-group", f.groups);
  fillSelect("f-version", f.versions);
  fillSelect("f-alert", f.alerts, (a) => `${a.zh} ${a.en}`);
  const kinds = document.getElementById("alert-kinds");
  kinds.replaceChildren();
  const current = document.getElementById("f-alert").value;
  for (const a of f.alerts) {
    const chip = el("button", `${a.zh} ${a.en} · ${a.kiosks}`, `kind ${a.level}` + (a.code === current ? " current" : ""));
    chip.type = "button";
    chip.dataset.code = a.code;
    chip.addEventListener("click", () => {
      document.getElementById("f-alert").value = a.code === current ? "" : a.code;
      restart();
    });
    kinds.append(chip);
  }
  const s = answer.summary;
  document.getElementById("summary").textContent =
    `${s.kiosks} 台 kiosks · ${s.online} 在线 online · ${s.offline} 离线 offline · ${s.alerting} 告警 with alerts`;
}

function renderPage(answer) {
  if (answer.full) state.rows.clear();
  for (const k of answer.kiosks) state.rows.set(k.kiosk_id, k);
  state.ids = answer.ids;
  for (const id of [...state.rows.keys()]) if (!answer.ids.includes(id)) state.rows.delete(id);
  const body = document.querySelector("#kiosks tbody");
  body.replaceChildren(...answer.ids.filter((id) => state.rows.has(id)).map((id) => kioskRow(state.rows.get(id), answer.now_ts)));
  if (!answer.ids.length) {
    const empty = el("td", "没有符合条件的终端 · No kiosk matches", "muted");
    empty.colSpan = 9;
    body.append(el("tr").appendChild(empty).parentNode);
  }
  document.getElementById("page-info").textContent =
    `第 ${answer.page} / ${answer.pages} 页 · page ${answer.page} of ${answer.pages} · ${answer.total} 台 kiosks`;
  document.getElementById("page-prev").disabled = answer.page <= 1;
  document.getElementById("page-next").disabled = answer.page >= answer.pages;
  for (const th of document.querySelectorAll("#kiosks th[data-sort]")) {
    th.className = th.dataset.sort === state.sort ? `sorted-${state.order}` : "";
  }
  renderFacets(answer);
  document.getElementById("refreshed").textContent = "更新于 updated " + new Date().toLocaleTimeString();
}

async function loadPage() {
  const params = query();
  const key = params.toString();
  if (key === state.key && state.cursor) {
    params.set("since", state.cursor);
    params.set("known", state.ids.join(","));
  }
  const answer = await api("GET", "/kiosks?" + params.toString());
  if (query().toString() !== key) return;  // the admin changed the filter meanwhile: that answer is coming
  state.key = key;
  state.cursor = answer.cursor;
  renderPage(answer);
}

function restart() {
  state.page = 1;
  state.key = null;
  loadPage().catch(showFailure);
}

function showFailure(error) {
  document.getElementById("refreshed").textContent = "刷新失败 refresh failed: " + error.message;
}

function renderRollouts(rollouts) {
  const body = document.querySelector("#rollouts tbody");
  body.replaceChildren();
  const stages = {canary: "试点 canary", everyone: "全部 everyone", superseded: "已取代 superseded"};
  for (const r of rollouts) {
    const row = el("tr");
    row.dataset.version = r.version;
    row.append(el("td", `v${r.version}`));
    const stage = el("td", stages[r.stage] || r.stage, "stage");
    if (r.stage === "canary") stage.append(el("div", `→ ${r.published_to}`, "muted"));
    stage.append(el("div", `签名目标 signed for: ${r.groups.join(", ")}`, "muted"));
    row.append(stage, el("td", `${r.applied} / ${r.refused}`), el("td", r.published_at));
    const action = el("td");
    if (r.stage === "canary") {
      const button = el("button", "推广到全部 Promote to everyone", "promote");
      button.type = "button";
      button.addEventListener("click", () => promote(r.version, button));
      action.append(button);
    }
    row.append(action);
    body.append(row);
  }
}

async function promote(version, button) {
  const message = document.getElementById("rollout-message");
  button.disabled = true;
  try {
    const view = await api("POST", `/bundles/${version}/promote`);
    message.className = "message ok";
    message.textContent = `v${view.version} 已推广到全部终端 · promoted to everyone`;
  } catch (error) {
    message.className = "message bad";
    message.textContent = "推广失败 · Promotion refused: " + error.message;
  }
  await refresh();
}

async function publish(event) {
  event.preventDefault();
  const message = document.getElementById("publish-message");
  const file = document.getElementById("bundle-file").files[0];
  const group = document.getElementById("bundle-group").value.trim();
  if (!file) return;
  let bundle;
  try {
    bundle = JSON.parse(await file.text());
  } catch (error) {
    message.className = "message bad";
    message.textContent = "不是配置包文件 · Not a bundle file (not JSON)";
    return;
  }
  try {
    const view = await api("POST", "/bundles", {group, bundle});
    message.className = "message ok";
    message.textContent = `已发布 v${view.version} 到 ${view.published_to} · Published version ${view.version} to ${view.published_to}`;
  } catch (error) {
    message.className = "message bad";
    message.textContent = "发布被拒绝 · Refused: " + error.message;
  }
  await refresh();
}

async function showDetail(kioskId) {
  const k = await api("GET", `/kiosks/${encodeURIComponent(kioskId)}`);
  if (openKiosk !== kioskId) return;
  document.getElementById("detail").hidden = false;
  document.getElementById("detail-id").textContent = k.kiosk_id;
  const facts = document.getElementById("detail-facts");
  facts.replaceChildren();
  const hb = k.heartbeat || {};
  const config = hb.config || {};
  const rows = [
    ["状态 Status", (k.online ? "在线 online" : "离线 offline") + " · " + age(k.heartbeat_age_s)],
    ["最后心跳 Last heartbeat", k.last_heartbeat_at || "—"],
    ["分组 Group", k.group || "—"], ["大厅 Hall", k.hall || "—"], ["区域 Zone", k.zone || "—"],
    ["程序版本 App", k.app_version || "—"],
    ["配置版本 Config", `v${config.installed_version ?? "—"} (last good v${config.last_good_version ?? "—"}, ` +
                       `pending ${config.pending_version ?? "—"})`],
    ["最近拒绝 Last refusal", k.last_refusal ? `${k.last_refusal.reason}: ${k.last_refusal.message}` : "—"],
    ["纸张 Paper", paperText(k.paper)],
    ["待发 Outbox", k.outbox ? JSON.stringify(k.outbox) : "—"],
    ["运行时间 Uptime", age(k.uptime_s)],
    ["告警 Alerts", k.alerts.map((a) => `${a.zh} ${a.en}`).join("\n") || "—"],
    ["最近错误 Last errors", (k.last_errors || []).join("\n") || "—"],
  ];
  for (const [name, value] of rows) facts.append(el("dt", name), el("dd", value));
  const devices = document.querySelector("#detail-devices tbody");
  devices.replaceChildren();
  for (const [name, d] of Object.entries(hb.devices || {})) {
    const row = el("tr");
    row.append(el("td", name), el("td", d.state, d.state === "error" || d.state === "offline" ? "bad" : ""),
               el("td", d.last_error || ""));
    devices.append(row);
  }
  const reports = document.getElementById("detail-reports");
  reports.replaceChildren();
  for (const r of k.reports) reports.append(el("li", `${r.at} v${r.version ?? "?"} ${r.outcome} ${r.reason} ${r.message}`));
  renderHistory(k);
}

function renderHistory(k) {
  const up = k.uptime;
  document.getElementById("detail-uptime").textContent = up.percent === null ? "—"
    : `${up.up_hours} / ${up.hours} 小时 hours · ${up.percent}%`;
  const days = document.getElementById("detail-days");
  days.replaceChildren();
  for (const d of up.days) {
    const bar = el("div", null, "day");
    bar.style.height = `${Math.round(100 * d.up_hours / 24)}%`;
    bar.title = `${d.date}: ${d.up_hours} h`;
    days.append(bar);
  }
  const history = document.getElementById("detail-history");
  history.replaceChildren(...k.history.map((h) => el("li", h.received_at.replace("T", " ").slice(0, 19))));
}

function route() {
  const hash = decodeURIComponent(window.location.hash.slice(1));
  const kiosk = hash.startsWith("kiosk/") ? hash.slice(6) : null;
  openKiosk = kiosk;
  document.getElementById("detail").hidden = true;
  for (const id of ["list", "bundles"]) document.getElementById(id).hidden = Boolean(kiosk);
  document.querySelector(".tabs").hidden = Boolean(kiosk);
  if (kiosk) {
    window.scrollTo(0, 0);
    showDetail(kiosk).catch(showFailure);
    return;
  }
  const view = hash === "alerts" ? "alerts" : "kiosks";
  if (view !== state.view) {
    state.view = view;
    if (view === "alerts") { state.sort = "alerts"; state.order = "desc"; } else { state.sort = "kiosk"; state.order = "asc"; }
    state.page = 1;
    state.key = null;
  }
  for (const tab of document.querySelectorAll(".tab")) tab.classList.toggle("current", tab.dataset.view === view);
  document.getElementById("alert-kinds").hidden = view !== "alerts";
  document.getElementById("list-title").replaceChildren(
    ...(view === "alerts" ? [el("span", "告警 "), el("small", "Kiosks with alerts")] : [el("span", "终端 "), el("small", "Kiosks")]));
  loadPage().catch(showFailure);
}

async function refresh() {
  try {
    if (openKiosk) {
      await showDetail(openKiosk);
      return;
    }
    const [, rollouts, keys] = await Promise.all([loadPage(), api("GET", "/rollouts"), api("GET", "/trusted-keys")]);
    renderRollouts(rollouts);
    document.getElementById("trusted-keys").textContent = keys.join(", ") || "无 none";
  } catch (error) {
    showFailure(error);
  }
}

document.getElementById("publish-form").addEventListener("submit", publish);
document.getElementById("detail-close").addEventListener("click", () => {
  window.location.hash = state.view === "alerts" ? "#alerts" : "";
});
for (const tab of document.querySelectorAll(".tab")) {
  tab.addEventListener("click", () => { window.location.hash = tab.dataset.view === "alerts" ? "#alerts" : ""; });
}
for (const th of document.querySelectorAll("#kiosks th[data-sort]")) {
  th.addEventListener("click", () => {
    if (state.sort === th.dataset.sort) state.order = state.order === "asc" ? "desc" : "asc";
    else { state.sort = th.dataset.sort; state.order = "asc"; }
    restart();
  });
}
document.getElementById("filters").addEventListener("change", restart);
document.getElementById("filters").addEventListener("submit", (event) => { event.preventDefault(); restart(); });
let typing = null;
document.getElementById("f-q").addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(restart, 300); });
document.getElementById("page-prev").addEventListener("click", () => { state.page -= 1; loadPage().catch(showFailure); });
document.getElementById("page-next").addEventListener("click", () => { state.page += 1; loadPage().catch(showFailure); });
window.addEventListener("hashchange", route);
route();
refresh();
setInterval(refresh, REFRESH_MS);
