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

function renderKiosks(kiosks) {
  const body = document.querySelector("#kiosks tbody");
  body.replaceChildren();
  let online = 0, alerting = 0;
  for (const k of kiosks) {
    if (k.online) online += 1;
    if (k.alerts.length) alerting += 1;
    const row = el("tr");
    row.dataset.kiosk = k.kiosk_id;
    row.className = k.online ? "online" : "offline";
    const id = el("td");
    const link = el("a", k.kiosk_id);
    link.href = "#" + encodeURIComponent(k.kiosk_id);
    link.addEventListener("click", (event) => { event.preventDefault(); showDetail(k.kiosk_id); });
    id.append(link);
    row.append(id, el("td", k.group || "—"));
    const status = el("td", null, "status");
    status.append(el("span", k.online ? "在线 online" : "离线 offline", k.online ? "badge ok" : "badge bad"),
                  el("span", " " + age(k.heartbeat_age_s), "muted"));
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
    for (const a of k.alerts) alerts.append(el("span", `${a.zh} ${a.en}`, `alert ${a.level}`));
    if (k.last_refusal) alerts.append(el("div", `拒绝 refused: ${k.last_refusal.reason}`, "muted"));
    row.append(alerts);
    const errors = el("td", null, "errors");
    for (const line of (k.last_errors || []).slice(-2)) errors.append(el("div", line));
    row.append(errors);
    body.append(row);
  }
  document.getElementById("summary").textContent =
    `${kiosks.length} 台 kiosks · ${online} 在线 online · ${alerting} 告警 with alerts`;
  document.getElementById("refreshed").textContent = "更新于 updated " + new Date().toLocaleTimeString();
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
  openKiosk = kioskId;
  const k = await api("GET", `/kiosks/${encodeURIComponent(kioskId)}`);
  document.getElementById("detail").hidden = false;
  document.getElementById("detail-id").textContent = k.kiosk_id;
  const facts = document.getElementById("detail-facts");
  facts.replaceChildren();
  const hb = k.heartbeat || {};
  const config = hb.config || {};
  const rows = [
    ["状态 Status", (k.online ? "在线 online" : "离线 offline") + " · " + age(k.heartbeat_age_s)],
    ["最后心跳 Last heartbeat", k.last_heartbeat_at || "—"],
    ["分组 Group", k.group || "—"], ["区域 Zone", k.zone || "—"],
    ["程序版本 App", k.app_version || "—"],
    ["配置版本 Config", `v${config.installed_version ?? "—"} (last good v${config.last_good_version ?? "—"}, ` +
                       `pending ${config.pending_version ?? "—"})`],
    ["最近拒绝 Last refusal", k.last_refusal ? `${k.last_refusal.reason}: ${k.last_refusal.message}` : "—"],
    ["纸张 Paper", paperText(k.paper)],
    ["待发 Outbox", k.outbox ? JSON.stringify(k.outbox) : "—"],
    ["运行时间 Uptime", age(k.uptime_s)],
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
}

async function refresh() {
  try {
    const [kiosks, rollouts, keys] = await Promise.all([api("GET", "/kiosks"), api("GET", "/rollouts"),
                                                       api("GET", "/trusted-keys")]);
    renderKiosks(kiosks);
    renderRollouts(rollouts);
    document.getElementById("trusted-keys").textContent = keys.join(", ") || "无 none";
    if (openKiosk) await showDetail(openKiosk);
  } catch (error) {
    document.getElementById("refreshed").textContent = "刷新失败 refresh failed: " + error.message;
  }
}

document.getElementById("publish-form").addEventListener("submit", publish);
document.getElementById("detail-close").addEventListener("click", () => {
  openKiosk = null;
  document.getElementById("detail").hidden = true;
});
refresh();
setInterval(refresh, REFRESH_MS);
