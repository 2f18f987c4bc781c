// ceasefire web app: run progress, figures and what-if sliders, through the JSON API under /api/.
"use strict";

(function () {
  const FINAL = new Set(["done", "failed"]);

  async function api(method, url, body) {
    const options = { method, headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) {
      let message = response.status + " " + response.statusText;
      if (data && data.errors) message = data.errors.map((e) => e.where || e.message).join("\n");
      else if (data && typeof data.detail === "string") message = data.detail;
      else if (data && Array.isArray(data.detail)) message = data.detail.map((d) => d.msg).join("; ");
      throw new Error(message);
    }
    return data;
  }

  // One figure of the API ({name, caption, figure}) as a <figure> (with the id `figureId`, if
  // given) appended to `container`: its plot (id "fig-" + name) and its caption.
  async function drawFigure(container, item, figureId = null) {
    const figure = document.createElement("figure");
    if (figureId !== null) figure.id = figureId;
    const plot = document.createElement("div");
    plot.id = "fig-" + item.name;
    plot.className = "plot";
    const caption = document.createElement("figcaption");
    caption.textContent = item.caption;
    figure.append(plot, caption);
    container.appendChild(figure);
    await Plotly.newPlot(plot, item.figure.data, item.figure.layout, {
      responsive: true,
      displaylogo: false,
    });
  }

  // ---- a scenario page: start a run ----------------------------------------------------------
  const runForm = document.getElementById("run-form");
  if (runForm) {
    runForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const seed = document.getElementById("run-seed").value;
      const samples = document.getElementById("run-samples").value;
      const body = {
        scenario_id: Number(runForm.dataset.scenario),
        analysis: document.getElementById("run-analysis").value,
        seed: seed === "" ? null : Number(seed),
        samples: samples === "" ? null : Number(samples),
        changes: {},
      };
      body.options = runOptions(body.analysis);
      try {
        const run = await api("POST", "/api/runs", body);
        window.location.assign("/runs/" + run.id);
      } catch (error) {
        document.getElementById("run-error").textContent = error.message;
      }
    });
  }

  // The options of the chosen analysis: a negotiation's protocol, rounds and strategies (one for
  // every party, and any party's own), a sensitivity analysis's method (and Sobol's base
  // sample), a mediation's budget, a tournament's runs and rounds.
  function runOptions(analysis) {
    const value = (id) => document.getElementById(id).value;
    if (analysis === "negotiate" && document.getElementById("run-protocol")) {
      const options = {
        protocol: value("run-protocol"),
        rounds: Number(value("run-rounds")),
        strategy: value("run-strategy"),
      };
      const own = {};
      for (const choice of document.querySelectorAll("select.party-strategy")) {
        if (choice.value) own[choice.dataset.party] = choice.value;
      }
      if (Object.keys(own).length) options.strategies = own;
      return options;
    }
    if (analysis === "mediate" && document.getElementById("run-budget")) {
      const options = { objective: value("run-objective") };
      if (value("run-budget") !== "") options.budget = Number(value("run-budget"));
      return options;
    }
    if (analysis === "sensitivity" && document.getElementById("run-method")) {
      const options = { method: value("run-method") };
      if (options.method === "sobol") options.sobol_samples = Number(value("run-sobol-samples"));
      return options;
    }
    if (analysis === "tournament" && document.getElementById("run-runs")) {
      return { runs: Number(value("run-runs")), rounds: Number(value("run-tournament-rounds")) };
    }
    return {};
  }

  // Each analysis's options are enabled only while it is chosen.
  const analysisChoice = document.getElementById("run-analysis");
  const optionSets = document.querySelectorAll("fieldset.options[data-for]");
  if (analysisChoice && optionSets.length) {
    const toggle = () => {
      for (const set of optionSets) {
        set.disabled = set.dataset.for !== analysisChoice.value;
        set.hidden = set.disabled;
      }
    };
    analysisChoice.addEventListener("change", toggle);
    toggle();
  }

  // ---- the upload form: refuse files over the limit before sending them -----------------------
  const uploadFile = document.getElementById("upload-file");
  if (uploadFile) {
    uploadFile.addEventListener("change", () => {
      const file = uploadFile.files[0];
      const check = document.getElementById("check");
      if (file && file.size > 5 * 1024 * 1024) {
        check.innerHTML = "";
        const p = document.createElement("p");
        p.className = "error";
        p.textContent = file.name + " is larger than 5 MB, the limit for a scenario.";
        check.appendChild(p);
        uploadFile.value = "";
      }
    });
  }
  document.body.addEventListener("htmx:responseError", (event) => {
    const target = event.detail.target;
    if (target) {
      let message = event.detail.xhr.status + " " + event.detail.xhr.statusText;
      try {
        const data = JSON.parse(event.detail.xhr.responseText);
        if (typeof data.detail === "string") message = data.detail;
      } catch (_) { /* not JSON */ }
      target.textContent = message;
      target.classList.add("error");
    }
  });

  // ---- a method's result (forecast, stability, divide): draw its figures once it arrives -------
  document.body.addEventListener("htmx:afterSwap", async () => {
    const data = document.getElementById("method-figures");
    const box = document.getElementById("method-figures-box");
    if (!data || !box || box.dataset.ready) return;
    box.dataset.ready = "true";
    for (const item of JSON.parse(data.dataset.figures)) await drawFigure(box, item);
  });

  // ---- a run page --------------------------------------------------------------------------------
  const dataElement = document.getElementById("run-data");
  if (!dataElement) return;
  const run = JSON.parse(dataElement.textContent);

  async function poll() {
    const started = Date.now();
    const text = document.getElementById("run-status-text");
    const bar = document.getElementById("run-progress");
    const elapsed = document.getElementById("run-elapsed");
    for (;;) {
      let state;
      try {
        state = await api("GET", "/api/runs/" + run.run);
      } catch (error) {
        text.textContent = "cannot reach the server: " + error.message;
        await new Promise((resolve) => setTimeout(resolve, 2000));
        continue;
      }
      text.textContent = state.status;
      if (bar && state.progress !== null) bar.value = state.progress;
      if (elapsed) elapsed.textContent = ((Date.now() - started) / 1000).toFixed(1) + " s";
      if (FINAL.has(state.status)) {
        window.location.reload();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
  }

  async function drawFigures() {
    const section = document.getElementById("figures");
    if (!section) return;
    try {
      const data = await api("GET", "/api/runs/" + run.run + "/figures");
      section.innerHTML = "<h2>Figures</h2>";
      for (const item of data.figures) await drawFigure(section, item, "figure-" + item.name);
      if (run.parent !== null) await overlayPrevious(run.parent);
      section.setAttribute("aria-busy", "false");
      section.dataset.ready = "true";
    } catch (error) {
      section.textContent = "The figures could not be drawn: " + error.message;
    }
  }

  // Draw the previous run's zone of agreement as a dashed outline, to see how it moved.
  async function overlayPrevious(parentId) {
    const plot = document.getElementById("fig-utility_space");
    if (!plot) return;
    let previous;
    try {
      previous = await api("GET", "/api/runs/" + parentId + "/figures");
    } catch (_) {
      return;
    }
    const item = previous.figures.find((f) => f.name === "utility_space");
    if (!item) return;
    const traces = item.figure.data
      .filter((t) => t.name === "zone of possible agreement")
      .map((t) => Object.assign({}, t, {
        name: "zone of agreement in run #" + parentId,
        fill: "none",
        line: { color: "#555", dash: "dash", width: 2 },
      }));
    if (traces.length) await Plotly.addTraces(plot, traces);
  }

  // A new weight for a party: its other weights keep their ratios and share what is left, and
  // all of the party's weights are sent, so that the change does not depend on earlier ones.
  // The party comes from the option, not from the path: ids may contain dots.
  function weightChanges(path, value) {
    const choice = document.getElementById("weight-choice");
    const chosen = choice && Array.from(choice.options).find((o) => o.value === path);
    if (!chosen) return { [path]: value };
    const mine = Array.from(choice.options).filter((o) => o.dataset.party === chosen.dataset.party);
    const others = mine.filter((o) => o.value !== path);
    const total = others.reduce((sum, o) => sum + Number(o.dataset.value), 0);
    const result = { [path]: value };
    for (const option of others) {
      const share = total > 0 ? Number(option.dataset.value) / total : 1 / others.length;
      result[option.value] = (1 - value) * share;
    }
    return result;
  }

  // Changes wait in a list until the user starts the run: several can be made at once. Each
  // entry keeps its label and the value in the file, to show what will change.
  const pending = new Map();
  const pendingList = document.getElementById("what-if-pending");
  const runButton = document.getElementById("what-if-run");
  const clearButton = document.getElementById("what-if-clear");

  function showPending() {
    if (!pendingList) return;
    pendingList.innerHTML = "";
    for (const [path, entry] of pending) {
      const item = document.createElement("li");
      item.title = path;
      item.textContent = entry.label + ": " + entry.original + " → " + entry.value;
      pendingList.appendChild(item);
    }
    if (!pending.size) {
      const item = document.createElement("li");
      item.className = "muted";
      item.textContent = "none yet: move a slider";
      pendingList.appendChild(item);
    }
    runButton.disabled = clearButton.disabled = pending.size === 0;
    runButton.textContent = pending.size > 1
      ? "Run with these " + pending.size + " changes" : "Run with this change";
  }

  function remember(input) {
    // One weight per party at a time: the party's other weights are rescaled around it.
    const choice = document.getElementById("weight-choice");
    if (input.id === "weight-slider" && choice) {
      const options = Array.from(choice.options);
      const party = options.find((o) => o.value === input.dataset.path).dataset.party;
      for (const option of options) {
        if (option.dataset.party === party) pending.delete(option.value);
      }
    }
    pending.set(input.dataset.path, {
      label: input.dataset.label,
      original: input.dataset.original,
      value: Number(input.value),
    });
    showPending();
  }

  async function whatIf() {
    let changes = Object.assign({}, run.changes);
    for (const [path, entry] of pending) {
      changes = Object.assign(changes, weightChanges(path, entry.value));
    }
    const errorBox = document.getElementById("what-if-error");
    errorBox.textContent = "starting a new run…";
    try {
      const next = await api("POST", "/api/runs", {
        scenario_id: run.scenario_id,
        analysis: run.analysis,
        seed: run.seed,
        samples: run.samples,
        options: run.options,
        changes,
        parent_run_id: run.run,
      });
      window.location.assign("/runs/" + next.id);
    } catch (error) {
      errorBox.textContent = error.message;
    }
  }

  for (const input of document.querySelectorAll("input.knob-input")) {
    const output = input.parentElement.querySelector("output");
    input.addEventListener("input", () => { if (output) output.textContent = input.value; });
    input.addEventListener("change", () => remember(input));
  }
  if (runButton) runButton.addEventListener("click", whatIf);
  if (clearButton) {
    clearButton.addEventListener("click", () => { pending.clear(); showPending(); });
  }
  const weightChoice = document.getElementById("weight-choice");
  if (weightChoice) {
    weightChoice.addEventListener("change", () => {
      const slider = document.getElementById("weight-slider");
      const option = weightChoice.selectedOptions[0];
      slider.dataset.path = option.value;
      slider.dataset.label = option.dataset.label;
      slider.dataset.original = option.dataset.value;
      slider.value = option.dataset.value;
      slider.parentElement.querySelector("output").textContent = option.dataset.value;
    });
  }

  if (!FINAL.has(run.status)) poll();
  else if (run.status === "done") drawFigures();
})();
