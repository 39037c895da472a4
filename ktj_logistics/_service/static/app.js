// The coordinator's page: upload the day's files, list every input problem, follow the
// plan's progress, then show the map, one officer's sheet at a time and the downloads.
// Text from the server is only ever set with textContent, never parsed as HTML.
"use strict";

(function () {
  const API = "/api/v1";
  const T = JSON.parse(document.getElementById("ktj-text").textContent);
  const CSRF = document.querySelector('meta[name="csrf-token"]').content;
  const LANG = document.documentElement.lang;
  const $ = (id) => document.getElementById(id);
  let polling = null;

  function tr(key, values) {
    let text = T[key] || key;
    for (const [k, v] of Object.entries(values || {})) {
      text = text.split("{" + k + "}").join(String(v));
    }
    return text;
  }

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function say(text, isError) {
    const m = $("message");
    m.textContent = text;
    m.className = isError ? "error" : "";
  }

  async function api(method, path, body) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRF-Token"] = CSRF;
    const response = await fetch(API + path, {
      method: method,
      headers: headers,
      body: body,
      credentials: "same-origin",
    });
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    return { status: response.status, data: data, headers: response.headers };
  }

  function showProblems(issues, warnings) {
    const table = $("problems-table");
    const labels = Array.from(table.querySelectorAll("thead th"), (th) => th.textContent);
    const body = table.querySelector("tbody");
    body.replaceChildren();
    for (const i of issues.concat(warnings || [])) {
      const row = el("tr", null, { class: i.severity === "error" ? "issue" : "warning" });
      [i.file, i.row, i.field, i.value, i.message, i.fix].forEach((v, k) => {
        const text = v === null || v === undefined ? "" : v;
        row.appendChild(el("td", text, { "data-label": labels[k] }));
      });
      body.appendChild(row);
    }
    $("problems-count").textContent = tr("web.problems_count", { n: issues.length });
    $("problems").hidden = issues.length === 0 && !(warnings || []).length;
  }

  function refusal(result) {
    if (result.status === 503) {
      return tr("web.busy", { s: result.headers.get("Retry-After") || "30" });
    }
    const detail = result.data && result.data.detail ? result.data.detail : result.status;
    return tr("web.error", { detail: detail });
  }

  async function submit(event) {
    event.preventDefault();
    const files = $("files").files;
    if (!files.length) {
      say(tr("web.choose_files"), true);
      return;
    }
    const form = new FormData();
    for (const f of files) form.append("files", f, f.name);
    const query = new URLSearchParams({ lang: LANG, redact: $("redact").checked });
    if ($("time-limit").value) query.set("time_limit_s", $("time-limit").value);
    $("plan-button").disabled = true;
    $("problems").hidden = true;
    $("result").hidden = true;
    say(tr("web.sending"), false);
    try {
      const r = await api("POST", "/jobs/upload?" + query.toString(), form);
      if (r.status === 202) {
        say("", false);
        showProblems([], r.data.warnings);
        follow(r.data);
      } else if (r.status === 422 && r.data && r.data.issues) {
        say("", false);
        showProblems(r.data.issues, r.data.warnings);
      } else {
        say(refusal(r), true);
      }
    } finally {
      $("plan-button").disabled = false;
      listJobs();
    }
  }

  function progressText(job) {
    const p = job.progress;
    return tr("web.stage." + p.stage, { served: p.served, households: job.households });
  }

  function follow(job) {
    if (polling) clearTimeout(polling);
    $("progress-card").hidden = false;
    $("result").hidden = true;
    const step = async () => {
      const r = await api("GET", "/jobs/" + job.id);
      if (r.status !== 200) {
        say(refusal(r), true);
        return;
      }
      const j = r.data;
      $("progress").value = j.progress.fraction;
      $("progress-text").textContent = progressText(j);
      if (j.status === "done") {
        showResult(j);
        listJobs();
      } else if (j.status === "failed") {
        $("progress-text").textContent = tr("web.failed") + ": " + (j.error || "");
        showProblems(j.issues || [], []);
        listJobs();
      } else {
        polling = setTimeout(step, 1000);
      }
    };
    step();
  }

  async function showResult(job) {
    const r = await api("GET", "/jobs/" + job.id + "/files");
    if (r.status !== 200) {
      say(refusal(r), true);
      return;
    }
    const t = job.totals;
    $("totals").textContent = tr("web.totals", {
      served: t.served,
      households: t.households,
      packages: t.packages_delivered,
      vehicles: t.vehicles_used,
      km: (t.distance_m / 1000).toFixed(1),
    });
    $("zip-link").href = r.data.zip_url;
    const base = API + "/jobs/" + job.id + "/files/";
    $("map-frame").src = base + "map.html?view=true";
    const select = $("officer-select");
    select.replaceChildren();
    for (const o of r.data.officers) {
      const label = o.officer ? o.vehicle_id + " — " + o.officer : o.vehicle_id;
      select.appendChild(el("option", label, { value: base + o.sheet + "?view=true" }));
    }
    if (select.options.length) $("sheet-frame").src = select.options[0].value;
    const list = $("file-list");
    list.replaceChildren();
    for (const f of r.data.files) {
      const item = el("li");
      item.appendChild(el("a", f.path, { href: f.url, download: "" }));
      item.appendChild(el("span", " (" + Math.max(1, Math.round(f.size / 1024)) + " KB)"));
      list.appendChild(item);
    }
    $("progress-card").hidden = true;
    $("result").hidden = false;
    $("result").setAttribute("data-job", job.id);
  }

  async function listJobs() {
    const r = await api("GET", "/jobs");
    const list = $("job-list");
    list.replaceChildren();
    if (r.status !== 200) return;
    if (!r.data.length) list.appendChild(el("li", tr("web.no_jobs")));
    for (const j of r.data) {
      const when = new Date(j.created * 1000).toLocaleString(LANG === "id" ? "id-ID" : "en-GB");
      const item = el("li", when + " — " + j.households + " — " + tr("web.status." + j.status) + " ");
      const open = el("button", tr("web.open"), { type: "button", class: "link" });
      open.addEventListener("click", () => follow(j));
      item.appendChild(open);
      list.appendChild(item);
    }
  }

  $("upload-form").addEventListener("submit", submit);
  $("officer-select").addEventListener("change", (e) => {
    $("sheet-frame").src = e.target.value;
  });
  listJobs();
})();
