/* govkg explorer: a Cytoscape.js view over /api, plus a SPARQL and a Cypher query tab.
 *
 * Everything that comes from documents (names, texts, query results) is put into the page with
 * textContent or as Cytoscape labels (drawn on canvas), never as HTML.
 * The address bar keeps the view: #tab=graph&exp=<id>&exp=<id>&sel=<node or edge id>.
 */
(function () {
  "use strict";

  // the node types and relations, their labels (govkg.ttl) and colours: filled at startup from
  // GET /api/vocab (ontology/vocab.py), in the order of the legend; the page keeps no copy of its own
  const NODE_STYLE = {};  // type -> { color, shape, label }
  const EDGE_COLOR = {};  // type -> colour
  const EDGE_LABEL = {};  // type -> bilingual label
  const DEFAULT_NODE = { color: "#999999", shape: "star", label: "" };
  let defaultEdgeColor = "#9aa5b1";
  const edgeColor = (type) => EDGE_COLOR[type] || defaultEdgeColor;
  const EXPAND_LIMIT = 60;
  // how a search hit matched (the hit's `matched`); names and texts match without a note
  const MATCH_LABEL = { alias: "别名 alias", pinyin: "拼音 pinyin", fuzzy: "近似 fuzzy", news: "报道 news" };

  const $ = (id) => document.getElementById(id);
  // the graph view; all of it is kept in the address bar, each change a step of the history (Back/Forward)
  const state = { expanded: [], selected: null, tab: "graph", hidden: new Set(), hiddenEdges: new Set(),
    hiddenNodes: new Set(), pinned: new Set(), layout: "cose" };
  const cutAt = new Map();  // node id -> true when its expansion was cut at the limit
  const broughtBy = new Map();  // node id -> the nodes its expansions added to the canvas (what Collapse removes)
  const SHOW_ALL_LIMIT = 500;
  const docCache = new Map();
  const queryState = { lang: null, text: null };  // the query tab's last query (kept in the address bar)

  // -- small helpers ----------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const styleOf = (type) => NODE_STYLE[type] || DEFAULT_NODE;
  const enc = encodeURIComponent;

  async function api(url, options) {
    const response = await fetch(url, options);
    const type = response.headers.get("content-type") || "";
    const body = type.includes("json") ? await response.json().catch(() => null) : await response.text();
    if (!response.ok) {
      const message = body && typeof body === "object" ? (body.error || body.detail || JSON.stringify(body)) : body;
      const error = new Error(`${response.status}: ${typeof message === "string" ? message : JSON.stringify(message)}`);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function shorten(text, n) {
    text = String(text || "");
    return text.length > n ? text.slice(0, n) + "…" : text;
  }

  function nodeLabel(node) {
    const props = node.props || {};
    if (node.type === "Measure") {
      const number = props.number || node.name;
      return `${number}. ${shorten(props.text || "", 14)}`;
    }
    if (node.type === "Document") return shorten(props.title || node.name, 18);
    return shorten(node.name, 22);
  }

  // -- the graph canvas -------------------------------------------------------------------
  const cyStyle = [
    { selector: "node", style: {
        "background-color": "data(color)", shape: "data(shape)", label: "data(label)",
        "font-size": 10, "text-valign": "bottom", "text-margin-y": 3, width: 26, height: 26,
        "text-wrap": "ellipsis", "text-max-width": 140, color: "#1f2933",
        "text-background-color": "#fbfcfd", "text-background-opacity": 0.7, "text-background-padding": 1 } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": "#1f3a5f" } },
    { selector: "node.expanded", style: { "border-width": 2, "border-color": "#243b53", "border-style": "double" } },
    { selector: "edge", style: {
        width: 1.6, "line-color": "data(color)", "target-arrow-color": "data(color)", "target-arrow-shape": "triangle",
        "curve-style": "bezier", label: "data(type)", "font-size": 7, color: "#52606d",
        "text-rotation": "autorotate", "text-background-color": "#fbfcfd", "text-background-opacity": 0.8 } },
    { selector: "edge[type = 'OWNS']", style: { width: 3 } },
    { selector: "edge:selected", style: { width: 4, "line-color": "#1f3a5f", "target-arrow-color": "#1f3a5f" } },
    // ownership and other derived edges: width by confidence, dashed (a rule made them, not a sentence)
    { selector: "edge[confidence]", style: { width: "mapData(confidence, 0, 1, 1, 6)" } },
    { selector: "edge[?derived]", style: { "line-style": "dashed" } },
    { selector: "node.pinned", style: { "border-width": 3, "border-color": "#b7791f", "border-style": "solid" } },
    { selector: ".hidden", style: { display: "none" } },
  ];

  const cy = cytoscape({ container: $("cy"), style: cyStyle, minZoom: 0.1, maxZoom: 4 });
  window.govkgCy = cy; // for debugging and tests

  function toElements(graph) {
    const nodes = (graph.nodes || []).map((n) => {
      const s = styleOf(n.type);
      return { group: "nodes", data: { id: n.id, type: n.type, name: n.name, props: n.props || {},
        label: nodeLabel(n), color: s.color, shape: s.shape } };
    });
    const edges = (graph.edges || []).map((e) => ({ group: "edges", data: {
      id: e.id, source: e.source, target: e.target, type: e.type, props: e.props || {},
      evidence: e.evidence || [], evidence_total: e.evidence_total ?? (e.evidence || []).length,
      color: edgeColor(e.type),
      ...(typeof (e.props || {}).confidence === "number" ? { confidence: e.props.confidence } : {}),
      derived: !!((e.props || {}).basis || (e.props || {}).rule || (e.props || {}).derived) } }));
    return { nodes, edges };
  }

  function addGraph(target, graph, around) {
    const { nodes, edges } = toElements(graph);
    const fresh = nodes.filter((n) => target.getElementById(n.data.id).empty());
    const center = around && !target.getElementById(around).empty() ? target.getElementById(around).position() : null;
    fresh.forEach((n, i) => {
      if (center) {
        const angle = (2 * Math.PI * i) / Math.max(fresh.length, 1);
        const radius = 90 + fresh.length * 4;
        n.position = { x: center.x + radius * Math.cos(angle), y: center.y + radius * Math.sin(angle) };
      }
    });
    target.add(fresh);
    target.add(edges.filter((e) => target.getElementById(e.data.id).empty()
      && !target.getElementById(e.data.source).empty() && !target.getElementById(e.data.target).empty()));
    return fresh.length;
  }

  function layout(target, randomize) {
    if (target.nodes().length === 0) return;
    if (target === cy && state.layout === "tree") {  // plan -> section -> measure, top down
      const roots = cy.nodes('[type = "Plan"]').filter((n) => !n.hasClass("hidden"));
      cy.layout({ name: "breadthfirst", directed: false, roots: roots.nonempty() ? roots : undefined,
        spacingFactor: 1.1, animate: false, fit: true, padding: 40 }).run();
      return;
    }
    target.layout({ name: "cose", animate: false, randomize: !!randomize, nodeRepulsion: () => 60000,
      idealEdgeLength: () => 110, nodeOverlap: 40, componentSpacing: 120, gravity: 0.5, numIter: 1000,
      fit: true, padding: 40 }).run();
    if (target.zoom() > 1.2) {  // a few nodes: do not blow them up
      target.zoom(1.2);
      target.center();
    }
  }

  // an expansion: "<id>" (all neighbours), "<TYPE>:<id>" (one relationship type) or "*:<id>" (all, uncut)
  function expansionKey(id, edgeType, all) { return edgeType ? `${edgeType}:${id}` : all ? `*:${id}` : id; }
  function parseExpansion(key) {
    const m = key.match(/^([A-Z_]+|\*):(.*)$/);
    if (m && !m[2].startsWith("/")) return m[1] === "*" ? { id: m[2], all: true } : { id: m[2], edgeType: m[1] };
    return { id: key };
  }

  async function expand(id, { select = false, relayout = true, edgeType = null, all = false } = {}) {
    let graph;
    const limit = edgeType || all ? SHOW_ALL_LIMIT : EXPAND_LIMIT;
    try {
      graph = await api(`/api/graph/neighborhood?id=${enc(id)}&depth=1&limit=${limit}`
        + (edgeType ? `&edge_types=${enc(edgeType)}` : ""));
    } catch (err) {
      showError(`无法展开 cannot expand ${id}: ${err.message}`);
      return;
    }
    const fresh = (graph.nodes || []).map((n) => n.id).filter((n) => cy.getElementById(n).empty());
    const added = addGraph(cy, graph, id);
    broughtBy.set(id, new Set([...(broughtBy.get(id) || []), ...fresh]));
    if (graph.truncated && !edgeType && !all) cutAt.set(id, true); else if (all) cutAt.delete(id);
    const key = expansionKey(id, edgeType, all);
    if (!state.expanded.includes(key)) state.expanded.push(key);
    cy.getElementById(id).addClass("expanded");
    applyFilters();
    if (relayout && added) layout(cy, cy.nodes().length === added);
    if (select) selectElement(id);
    writeHash();
  }

  function selectElement(id) {
    const element = cy.getElementById(id);
    if (element.empty()) return false;
    cy.elements(":selected").unselect();
    element.select();
    state.selected = id;
    if (element.isNode()) showNode(element.data());
    else showEdge(element.data());
    writeHash();
    return true;
  }

  cy.on("tap", "node", (evt) => {
    const id = evt.target.id();
    selectElement(id);
    if (!state.expanded.some((k) => parseExpansion(k).id === id)) expand(id, { relayout: true });
  });
  cy.on("dragfree", "node", (evt) => { if (state.pinned.has(evt.target.id())) evt.target.lock(); });

  function hideNode(id) {
    state.hiddenNodes.add(id);
    applyFilters();
    writeHash();
  }
  function togglePin(id) {
    const node = cy.getElementById(id);
    if (state.pinned.has(id)) { state.pinned.delete(id); node.unlock(); node.removeClass("pinned"); }
    else { state.pinned.add(id); node.addClass("pinned"); node.lock(); }
    writeHash();
  }
  /** Remove the nodes this node's expansion brought in, unless expanded, pinned or next to another expanded node. */
  function collapse(id) {
    const node = cy.getElementById(id);
    const expandedIds = new Set(state.expanded.map((k) => parseExpansion(k).id));
    expandedIds.delete(id);
    const mine = broughtBy.get(id) || new Set();
    const gone = cy.nodes().filter((n) => mine.has(n.id()) && !expandedIds.has(n.id()) && !state.pinned.has(n.id())
      && n.id() !== id && n.neighborhood("node").every((m) => !expandedIds.has(m.id())));
    broughtBy.delete(id);
    cy.remove(gone);
    state.expanded = state.expanded.filter((k) => parseExpansion(k).id !== id);
    node.removeClass("expanded");
    cutAt.delete(id);
    writeHash();
    return gone.length;
  }
  window.govkgGraph = { hideNode, togglePin, collapse, expand };
  cy.on("tap", "edge", (evt) => selectElement(evt.target.id()));

  // -- filters and legend -----------------------------------------------------------------
  function buildFilters(meta) {
    const nodeList = $("node-filters");
    nodeList.replaceChildren();
    const nodeTypes = Object.keys(NODE_STYLE).filter((t) => !meta || t in meta.node_types)
      .concat(meta ? Object.keys(meta.node_types).filter((t) => !(t in NODE_STYLE)) : []);
    for (const type of nodeTypes) {
      const s = styleOf(type);
      const box = el("input", { type: "checkbox", "data-type": type });
      box.checked = !state.hidden.has(type);
      box.addEventListener("change", () => { box.checked ? state.hidden.delete(type) : state.hidden.add(type); applyFilters(); writeHash(); });
      const swatch = el("span", { class: `swatch shape-${s.shape}` });
      swatch.style.background = s.color;
      nodeList.append(el("li", { class: "node-type" }, el("label", {}, box, swatch, s.label || type,
        meta ? el("span", { class: "count", text: String(meta.node_types[type] || 0) }) : null)));
    }
    const edgeList = $("edge-filters");
    edgeList.replaceChildren();
    const edgeTypes = meta ? Object.keys(meta.edge_types) : Object.keys(EDGE_COLOR);
    for (const type of edgeTypes) {
      const box = el("input", { type: "checkbox", "data-type": type });
      box.checked = !state.hiddenEdges.has(type);
      box.addEventListener("change", () => { box.checked ? state.hiddenEdges.delete(type) : state.hiddenEdges.add(type); applyFilters(); writeHash(); });
      const swatch = el("span", { class: "swatch edge" });
      swatch.style.background = edgeColor(type);
      edgeList.append(el("li", { class: "edge-type", title: EDGE_LABEL[type] || type }, el("label", {}, box, swatch, type,
        meta ? el("span", { class: "count", text: String(meta.edge_types[type] || 0) }) : null)));
    }
  }

  function applyFilters() {
    cy.batch(() => {
      cy.nodes().forEach((n) => n.toggleClass("hidden", state.hidden.has(n.data("type")) || state.hiddenNodes.has(n.id())));
      cy.edges().forEach((e) => e.toggleClass("hidden", state.hiddenEdges.has(e.data("type"))));
      for (const id of state.pinned) { const n = cy.getElementById(id); if (n.nonempty()) { n.addClass("pinned"); n.lock(); } }
    });
  }

  // -- side panel -------------------------------------------------------------------------
  function panel(...children) {
    $("panel-empty").hidden = true;
    $("panel-content").replaceChildren(...children);
  }

  function badge(type) {
    const b = el("span", { class: "badge", text: type || "?" });
    b.style.background = styleOf(type).color;
    return b;
  }

  function nodeLink(ref) {
    return el("a", { class: "node-link", "data-id": ref.id, title: ref.id,
      onclick: () => focusNode(ref.id) }, ref.name || ref.id);
  }

  function propsTable(props) {
    const table = el("table", { class: "props" });
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "evidence") continue;
      const text = value !== null && typeof value === "object" ? JSON.stringify(value) : String(value);
      table.append(el("tr", {}, el("th", { text: key }), el("td", { text })));
    }
    return table;
  }

  function showError(message) {
    panel(el("p", { class: "error", text: message }));
  }

  /** Expand by relationship type (with counts), show all when cut, collapse, hide, pin. */
  function nodeTools(id) {
    const tools = el("div", { id: "node-tools" });
    const byType = el("div", { class: "expand-types" });
    tools.append(el("div", { class: "buttons" },
      el("button", { type: "button", class: "collapse", onclick: () => collapse(id) }, "收起 Collapse"),
      el("button", { type: "button", class: "hide", onclick: () => hideNode(id) }, "隐藏 Hide"),
      el("button", { type: "button", class: "pin", onclick: (e) => { togglePin(id);
        e.target.textContent = state.pinned.has(id) ? "取消固定 Unpin" : "固定 Pin"; } },
      state.pinned.has(id) ? "取消固定 Unpin" : "固定 Pin")), byType);
    api(`/api/node?id=${enc(id)}`).then((detail) => {
      const counts = {};  // edge_counts are by direction ("in:PART_OF"): expansion follows both
      for (const [key, n] of Object.entries(detail.edge_counts || {})) {
        const type = key.replace(/^(in|out):/, "");
        counts[type] = (counts[type] || 0) + n;
      }
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      byType.append(el("h4", { text: "按关系展开 Expand by relationship" }));
      for (const [type, n] of Object.entries(counts)) {
        byType.append(el("button", { type: "button", class: "expand-type", "data-type": type,
          onclick: () => expand(id, { edgeType: type }) }, `${type} (${n})`));
      }
      if (cutAt.has(id)) {
        byType.append(el("p", { class: "cut" }, `只显示了前 ${EXPAND_LIMIT} 个邻居 only the first ${EXPAND_LIMIT} neighbours are shown. `,
          el("button", { type: "button", class: "show-all", onclick: () => expand(id, { all: true }) },
            `显示全部 Show all ${total}`)));
      }
    }).catch(() => {});
    return tools;
  }

  async function showNode(data) {
    const section = el("div", { id: "node-details" });
    panel(el("h3", {}, badge(data.type), el("span", { class: "name", text: data.name })),
      el("div", { class: "hint", text: data.id }), nodeTools(data.id), propsTable(data.props), section);
    try {
      if (data.type === "Platform") await platformDetails(data.id, section);
      else if (data.type === "Agency") await agencyDetails(data.id, section);
      else if (data.type === "Plan") await planDetails(data.id, section);
      else if (data.type === "Document") section.append(el("button", { type: "button",
        onclick: () => showDocument(data.id.replace(/^doc:/, ""), []) }, "查看原文 Show text"));
    } catch (err) {
      section.append(el("p", { class: "error", text: err.message }));
    }
  }

  // owners (or platforms owned), strongest first: the rule, how many documents and years support it, and a
  // button that opens the sentences it rests on
  function ownershipList(owners, edgeId) {
    const list = el("ul", { class: "links owners" });
    for (const o of owners) {
      const years = (o.years || []).length ? ` · ${o.years.join("、")}` : "";
      const open = el("button", { type: "button", class: "evidence-open", onclick: async () => {
        const edge = await api(`/api/edge?id=${enc(edgeId(o))}&evidence_limit=200`);
        state.selected = edge.id;
        showEdge(edge);
      } }, "依据 Evidence");
      list.append(el("li", {}, nodeLink(o), " ",
        el("span", { class: "basis", text: `${o.basis} · ${o.support || 0} 份文件 documents${years}` }), " ", open));
    }
    return list;
  }

  const PAGE = 30;  // items a panel list shows at a time

  /** A heading with its count and the list of items, a page at a time ("more" loads the next page).
   *  fetchPage(offset) resolves to {total, items}; the first page may be given. */
  function pagedList(cls, title, render, fetchPage, first) {
    const box = el("div", { class: `paged ${cls}` });
    const heading = el("h2", {});
    const list = el("ul", { class: `links ${cls}` });
    const more = el("button", { type: "button", class: "more" });
    let shown = 0;
    let total = 0;
    const add = (pageData) => {
      total = pageData.total;
      for (const item of pageData.items) list.append(el("li", {}, render(item)));
      shown += pageData.items.length;
      heading.textContent = `${title} (${total})`;
      more.hidden = shown >= total;
      more.textContent = `更多 More (${total - shown})`;
      if (!total) list.replaceChildren(el("li", { class: "hint", text: "—" }));
    };
    more.addEventListener("click", async () => {
      more.disabled = true;
      try { add(await fetchPage(shown)); } catch (err) { box.append(el("p", { class: "error", text: err.message })); }
      more.disabled = false;
    });
    box.append(heading, list, more);
    add(first);
    return box;
  }

  async function platformDetails(id, section) {
    const p = await api(`/api/platforms/${enc(id)}?limit=${PAGE}`);
    if (state.selected !== id) return;
    section.append(el("h2", { text: `归属机构 Owners (${p.owners.length})` }), ownershipList(p.owners, (o) => `${o.id}|OWNS|${id}`));
    if (p.parents.length) section.append(el("h2", { text: "上级平台 Branch of" }),
      el("ul", { class: "links" }, ...p.parents.map((x) => el("li", {}, nodeLink(x)))));
    if (p.branches.length) section.append(el("h2", { text: "分厅/分支 Branches" }),
      el("ul", { class: "links" }, ...p.branches.map((b) => el("li", {}, nodeLink(b),
        b.owners.length ? el("span", { class: "basis", text: " · " + b.owners.map((o) => o.name).join("、") }) : null))));
    // the years a platform is mentioned come from one place, its timeline (plans and news reports)
    const timeline = el("div", { id: "platform-timeline", class: "timeline" }, el("h2", { text: "时间线 Timeline" }),
      el("p", { class: "hint", text: "加载中 loading…" }));
    section.append(timeline);
    loadTimeline(id, timeline);
    section.append(pagedList("platform-measures", "措施 Measures", (m) => nodeLink({ id: m.id,
      name: `${m.plan ? m.plan.name + " " : ""}#${m.number || ""} ${shorten(m.text, 30)}` }),
    async (offset) => (await api(`/api/platforms/${enc(id)}?limit=${PAGE}&offset=${offset}`)).measures, p.measures));
  }

  const LEVEL_LABEL = { province: "省级 province", city: "地级 prefecture", county: "县级 county" };

  // a plan's jurisdiction with its level and GB/T 2260 division code
  async function planDetails(id, section) {
    const p = await api(`/api/plans/${enc(id)}`);
    if (state.selected !== id) return;
    const r = p.jurisdiction_region;
    section.append(el("h2", { text: "辖区 Jurisdiction" }), r
      ? el("p", { class: "jurisdiction" }, nodeLink(r), " · ", el("span", { class: "level", text: LEVEL_LABEL[r.level] || r.level || "" }),
        r.code ? el("span", { class: "code", text: ` · ${r.code}` }) : null)
      : el("p", { class: "hint", text: "未知 unknown" }));
  }

  async function agencyDetails(id, section) {
    const a = await api(`/api/agencies/${enc(id)}?limit=${PAGE}`);
    if (state.selected !== id) return;
    const more = (key) => async (offset) => (await api(`/api/agencies/${enc(id)}?limit=${PAGE}&offset=${offset}`))[key];
    const measure = (m) => nodeLink({ id: m.id, name: `${m.plan ? m.plan.name + " " : ""}#${m.number || ""} ${shorten(m.text, 34)}` });
    if (window.govkgI18n) window.govkgI18n.agencyPanel(a, section, nodeLink);  // name, function, counterparts (i18n.js)
    section.append(el("h2", { text: `拥有平台 Platforms owned (${a.platforms_owned.length})` }),
      ownershipList(a.platforms_owned, (o) => `${id}|OWNS|${o.id}`));
    if ((a.platforms_mentioned || []).length) section.append(el("h2", { text: `仅提及平台 Platforms only mentioned (${a.platforms_mentioned.length})` }),
      el("ul", { class: "links mentioned" }, ...a.platforms_mentioned.map((x) => el("li", {}, nodeLink(x)))));
    section.append(pagedList("measures-led", "牵头措施 Measures led", measure, more("measures_led"), a.measures_led));
    section.append(pagedList("measures-responsible", "责任措施 Co-responsible", measure, more("measures_responsible"),
      a.measures_responsible));
  }

  const EVIDENCE_DOCS = 3;  // documents whose text is shown for one edge

  async function showEdge(data) {
    const source = cy.getElementById(data.source).data() || { name: data.source };
    const target = cy.getElementById(data.target).data() || { name: data.target };
    const box = el("div", { id: "evidence" });
    const list = el("ul", { class: "evidence-list" });
    const heading = el("h2", { text: "证据 Evidence" });
    const colour = el("span", { class: "badge", text: data.type });
    colour.style.background = edgeColor(data.type);
    panel(el("h3", {}, colour),
      el("p", {}, nodeLink({ id: data.source, name: source.name }), " → ", nodeLink({ id: data.target, name: target.name })),
      propsTable(data.props), heading, list, box);
    let evidence = data.evidence || [];
    let total = data.evidence_total ?? evidence.length;
    if (total > evidence.length) {  // graph views carry the first spans only
      try {
        const full = await api(`/api/edge?id=${enc(data.id)}&evidence_limit=200`);
        if (state.selected !== data.id) return;
        evidence = full.evidence;
        total = full.evidence_total;
      } catch (err) {
        list.append(el("li", { class: "error", text: err.message }));
      }
    }
    heading.textContent = `证据 Evidence (${total})`;
    list.append(...evidence.map((e) => el("li", { text: e.text })));
    if (total > evidence.length) list.append(el("li", { class: "hint", text: `… ${total - evidence.length} more` }));
    const docs = [...new Set(evidence.map((e) => e.document))];
    for (const doc of docs.slice(0, EVIDENCE_DOCS)) loadEvidence(box, doc, evidence.filter((e) => e.document === doc));
    if (docs.length > EVIDENCE_DOCS) {
      box.append(el("p", { class: "hint", text: `另有 ${docs.length - EVIDENCE_DOCS} 份文件 and ${docs.length - EVIDENCE_DOCS} more documents` }));
    }
  }

  async function loadEvidence(box, doc, spans) {
    const holder = el("div", { class: "evidence-doc" }, el("h4", { text: doc }));
    box.append(holder);
    try {
      const text = await documentText(doc);
      holder.append(highlighted(text, spans));
      const first = holder.querySelector("mark");
      if (first) first.scrollIntoView({ block: "center" });
    } catch (err) {
      holder.append(el("p", { class: "error", text: err.message }));
    }
  }

  async function documentText(doc) {
    if (!docCache.has(doc)) {
      docCache.set(doc, api(`/api/documents/${enc(doc)}`).then((d) => d.text));
    }
    return docCache.get(doc);
  }

  function sentenceAround(text, start, end) {
    const stops = "。；;！!？?\n";
    let s = start;
    while (s > 0 && !stops.includes(text[s - 1])) s--;
    let e = end;
    while (e < text.length && !stops.includes(text[e])) e++;
    if (e < text.length && text[e] !== "\n") e++;
    return [s, e];
  }

  /** The document text with each span marked and its sentence shaded (DOM nodes, no HTML). */
  function highlighted(text, spans) {
    const marks = spans.map((s) => [s.start, s.end]).filter(([a, b]) => a >= 0 && b <= text.length && a <= b);
    const sentences = marks.map(([a, b]) => sentenceAround(text, a, b));
    const cuts = new Set([0, text.length]);
    for (const [a, b] of [...marks, ...sentences]) { cuts.add(a); cuts.add(b); }
    const points = [...cuts].sort((x, y) => x - y);
    const pre = el("pre", { class: "doc-text" });
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      if (a === b) continue;
      const piece = text.slice(a, b);
      const inMark = marks.some(([x, y]) => x <= a && b <= y);
      const inSentence = sentences.some(([x, y]) => x <= a && b <= y);
      let node = document.createTextNode(piece);
      if (inMark) node = el("mark", {}, node);
      if (inSentence) node = el("span", { class: "sentence" }, node);
      pre.append(node);
    }
    return pre;
  }

  async function showDocument(doc, spans) {
    const box = el("div");
    panel(el("h3", {}, badge("Document"), el("span", { text: doc })), box);
    loadEvidence(box, doc, spans);
  }

  async function focusNode(id) {
    if (cy.getElementById(id).empty()) {
      await expand(id, { select: true });
    } else {
      selectElement(id);
      if (!state.expanded.includes(id)) expand(id);
    }
    cy.animate({ center: { eles: cy.getElementById(id) }, duration: 200 });
  }

  // -- search -----------------------------------------------------------------------------
  let searchTimer = null;
  let searchSeq = 0;
  const input = $("search-input");
  const results = $("search-results");

  async function runSearch() {
    const q = input.value.trim();
    const seq = ++searchSeq;
    if (!q) { results.hidden = true; return; }
    let page;
    try {
      page = await api(`/api/search?q=${enc(q)}&limit=30`);
    } catch (err) {
      page = { items: [], total: 0, error: err.message };
    }
    if (seq !== searchSeq) return;
    results.replaceChildren();
    // grouped by type, in the order of the best hit of each type; the heading counts every hit of the type
    const groups = new Map();
    for (const hit of page.items) {
      if (!groups.has(hit.type)) groups.set(hit.type, []);
      groups.get(hit.type).push(hit);
    }
    for (const [typeName, hits] of groups) {
      const count = (page.counts || {})[typeName] ?? hits.length;
      results.append(el("li", { class: "group", "data-type": typeName, role: "presentation" },
        el("span", { class: "group-name", text: styleOf(typeName).label || typeName }),
        el("span", { class: "count", text: ` (${count})` })));
      for (const hit of hits) {
        const type = el("span", { class: "type", text: hit.type });
        type.style.background = styleOf(hit.type).color;
        const how = MATCH_LABEL[hit.matched];
        const item = el("li", { "data-id": hit.id, "data-matched": hit.matched, role: "option" }, type,
          el("span", { class: "name", text: hit.name }), how ? el("span", { class: "matched", text: how }) : null,
          hit.snippet ? el("span", { class: "snippet", text: hit.snippet }) : null);
        item.addEventListener("mousedown", (e) => { e.preventDefault(); pick(hit.id, hit.evidence); });
        results.append(item);
      }
    }
    if (!page.items.length) results.append(el("li", { class: "empty", text: page.error || `没有结果 no results for “${q}”` }));
    results.hidden = false;
  }

  function pick(id, evidence) {
    results.hidden = true;
    if (evidence) {  // a news report found by its text: open the sentence in the report
      showDocument(evidence.document, [evidence]);
      return;
    }
    focusNode(id);
  }

  input.addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(runSearch, 200); });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      clearTimeout(searchTimer);
      runSearch().then(() => {
        const first = results.querySelector("li[data-id]");
        if (first) first.dispatchEvent(new MouseEvent("mousedown", { cancelable: true }));
      });
    } else if (e.key === "Escape") results.hidden = true;
  });
  input.addEventListener("blur", () => setTimeout(() => { results.hidden = true; }, 150));
  input.addEventListener("focus", () => { if (results.childElementCount) results.hidden = false; });

  // -- address bar ------------------------------------------------------------------------
  let restoring = false;
  function writeHash(replace = false) {
    if (restoring) return;
    const params = new URLSearchParams();
    if (state.tab !== "graph") params.set("tab", state.tab);
    if (state.tab === "series" && seriesState.indicator) {
      params.set("ind", seriesState.indicator);
      if (seriesState.jurisdiction) params.set("jur", seriesState.jurisdiction);
    }
    if (state.tab === "compare" && compareState.a && compareState.b) {
      params.set("a", compareState.a);
      params.set("b", compareState.b);
    }
    if (state.tab === "query" && queryState.text) {
      params.set("ql", queryState.lang);
      params.set("q", queryState.text);
    }
    for (const id of state.expanded) params.append("exp", id);
    if (state.selected) params.set("sel", state.selected);
    for (const t of state.hidden) params.append("hidetype", t);
    for (const t of state.hiddenEdges) params.append("hideedge", t);
    for (const id of state.hiddenNodes) params.append("hide", id);
    for (const id of state.pinned) params.append("pin", id);
    if (state.layout !== "cose") params.set("layout", state.layout);
    const hash = params.toString();
    const url = hash ? `#${hash}` : location.pathname + location.search;
    if ((location.hash.replace(/^#/, "")) === hash) return;
    // a new step of the view is a new history entry (Back and Forward walk through them)
    if (replace) history.replaceState(null, "", url); else history.pushState(null, "", url);
    shownHash = hash;
  }

  let shownHash = null;
  async function restoreHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ""));
    shownHash = location.hash.replace(/^#/, "");
    restoring = true;
    try {
      state.hidden = new Set(params.getAll("hidetype"));
      state.hiddenEdges = new Set(params.getAll("hideedge"));
      state.hiddenNodes = new Set(params.getAll("hide"));
      state.pinned = new Set(params.getAll("pin"));
      state.layout = params.get("layout") === "tree" ? "tree" : "cose";
      for (const box of document.querySelectorAll("#node-filters input")) box.checked = !state.hidden.has(box.dataset.type);
      for (const box of document.querySelectorAll("#edge-filters input")) box.checked = !state.hiddenEdges.has(box.dataset.type);
      $("layout-kind").value = state.layout;
      if (params.get("ind")) seriesState.indicator = params.get("ind");
      if (params.get("jur")) seriesState.jurisdiction = params.get("jur");
      if (params.get("a") && params.get("b")) { compareState.a = params.get("a"); compareState.b = params.get("b"); }
      setTab(params.get("tab") || "graph");
      if (state.tab === "query" && params.get("q")) {
        const lang = params.get("ql") === "cypher" ? "cypher" : "sparql";
        window.govkgEditors[lang].setValue(params.get("q"));
        await (lang === "cypher" ? runCypher() : runSparql());
      }
      for (const key of params.getAll("exp")) {
        const x = parseExpansion(key);
        await expand(x.id, { relayout: false, edgeType: x.edgeType, all: x.all });
      }
      applyFilters();
      layout(cy, true);
      const sel = params.get("sel");
      if (sel) {
        if (!selectElement(sel) && !sel.includes("|")) await expand(sel, { select: true });
      }
    } finally {
      restoring = false;
      writeHash(true);
    }
  }

  // -- tabs -------------------------------------------------------------------------------
  const TABS = ["graph", "series", "compare", "query", "problems"];
  function setTab(tab) {
    state.tab = TABS.includes(tab) ? tab : "graph";
    for (const name of TABS) $(`view-${name}`).hidden = state.tab !== name;
    for (const button of document.querySelectorAll("#tabs button")) {
      button.setAttribute("aria-selected", String(button.dataset.tab === state.tab));
    }
    if (state.tab === "query") { initEditors(); queryCy.resize(); }
    else if (state.tab === "series") openSeries();
    else if (state.tab === "compare") openCompare();
    else if (state.tab === "problems") openProblems();
    else cy.resize();
    writeHash();
  }
  for (const button of document.querySelectorAll("#tabs button")) {
    button.addEventListener("click", () => setTab(button.dataset.tab));
  }

  $("btn-layout").addEventListener("click", () => layout(cy, true));
  $("layout-kind").addEventListener("change", () => {
    state.layout = $("layout-kind").value === "tree" ? "tree" : "cose";
    layout(cy, true);
    writeHash();
  });
  $("btn-png").addEventListener("click", () => {
    const blob = cy.png({ output: "blob", full: true, bg: "#ffffff", scale: 2 });
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: "govkg-graph.png" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  // the canvas as SVG, drawn from what Cytoscape shows (visible nodes and edges, their colours and labels)
  function graphSvg() {
    const esc = (t) => String(t).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
    const shown = cy.elements().filter((e) => e.visible());
    const box = shown.boundingBox({ includeLabels: true });
    const pad = 20;
    const parts = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${box.x1 - pad} ${box.y1 - pad} ${box.w + 2 * pad} ${box.h + 2 * pad}"`
      + ` width="${Math.round(box.w + 2 * pad)}" height="${Math.round(box.h + 2 * pad)}" font-family="sans-serif">`,
      `<rect x="${box.x1 - pad}" y="${box.y1 - pad}" width="${box.w + 2 * pad}" height="${box.h + 2 * pad}" fill="#ffffff"/>`];
    shown.edges().forEach((e) => {
      const a = e.source().position(), b = e.target().position();
      const dash = e.style("line-style") === "dashed" ? ' stroke-dasharray="6 4"' : "";
      parts.push(`<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" stroke="${e.style("line-color")}"`
        + ` stroke-width="${parseFloat(e.style("width")) || 1}"${dash}><title>${esc(e.data("type"))}</title></line>`);
    });
    shown.nodes().forEach((n) => {
      const p = n.position();
      const r = (parseFloat(n.style("width")) || 20) / 2;
      parts.push(`<g><title>${esc(n.id())}</title><circle cx="${p.x}" cy="${p.y}" r="${r}" fill="${n.style("background-color")}"/>`
        + `<text x="${p.x}" y="${p.y + r + 12}" font-size="10" text-anchor="middle">${esc(n.data("name") || n.id())}</text></g>`);
    });
    parts.push("</svg>");
    return parts.join("\n");
  }

  $("btn-svg").addEventListener("click", () => {
    const url = URL.createObjectURL(new Blob([graphSvg()], { type: "image/svg+xml" }));
    const a = el("a", { href: url, download: "govkg-graph.svg" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  $("btn-clear").addEventListener("click", () => {
    cy.elements().remove();
    state.expanded = [];
    state.selected = null;
    $("panel-content").replaceChildren();
    $("panel-empty").hidden = false;
    writeHash();
  });

  // -- query tab --------------------------------------------------------------------------
  const queryCy = cytoscape({ container: $("query-cy"), style: cyStyle, minZoom: 0.1, maxZoom: 4 });
  window.govkgQueryCy = queryCy;
  let sparqlEditor = null;
  let cypherEditor = null;
  function initEditors() {
    if (sparqlEditor) return;
    const options = { lineNumbers: true, matchBrackets: true, viewportMargin: Infinity };
    sparqlEditor = CodeMirror.fromTextArea($("sparql-input"), { ...options, mode: "application/sparql-query" });
    cypherEditor = CodeMirror.fromTextArea($("cypher-input"), { ...options, mode: "application/x-cypher-query" });
    window.govkgEditors = { sparql: sparqlEditor, cypher: cypherEditor };
    loadExamples();
  }

  // the project's research queries (queries/*.rq, *.cypher) offered as examples
  let examples = [];
  async function loadExamples() {
    try {
      examples = (await api("/api/queries")).items || [];
    } catch (err) {
      status(`无法加载示例 cannot load examples: ${err.message}`, true);
      return;
    }
    const select = $("query-examples");
    select.replaceChildren(el("option", { value: "", text: "—" }), ...examples.map((x) => el("option", {
      value: x.name, text: `${x.title || x.name}${x.sparql ? " · SPARQL" : ""}${x.cypher ? " · Cypher" : ""}` })));
    document.body.dataset.examples = String(examples.length);
  }
  $("query-examples").addEventListener("change", () => {
    const x = examples.find((e) => e.name === $("query-examples").value);
    $("query-description").textContent = x ? x.description : "";
    if (!x) return;
    if (x.sparql) sparqlEditor.setValue(x.sparql);
    if (x.cypher) cypherEditor.setValue(x.cypher);
  });

  // the last result, for the downloads: {columns, rows} and, for CONSTRUCT/DESCRIBE, its Turtle
  let lastResult = null;
  function setResult(result) {
    lastResult = result;
    $("download-csv").disabled = !(result && result.columns);
    $("download-json").disabled = !(result && result.columns);
    $("download-ttl").disabled = !(result && result.turtle);
    $("query-turtle").hidden = !(result && result.turtle);
    $("query-turtle").textContent = (result && result.turtle) || "";
  }
  function clearResult() {  // an error replaces the stale result
    $("query-table").replaceChildren();
    queryCy.elements().remove();
    setResult(null);
  }
  function csvField(value) {
    const text = cellText(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }
  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = el("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  $("download-csv").addEventListener("click", () => lastResult && download("result.csv", "text/csv",
    [lastResult.columns.map(csvField).join(","), ...lastResult.rows.map((r) => r.map(csvField).join(","))].join("\r\n") + "\r\n"));
  $("download-json").addEventListener("click", () => lastResult && download("result.json", "application/json",
    JSON.stringify({ columns: lastResult.columns, rows: lastResult.rows.map((r) => r.map(cellText)) }, null, 1)));
  $("download-ttl").addEventListener("click", () => lastResult && lastResult.turtle &&
    download("result.ttl", "text/turtle", lastResult.turtle));

  function status(message, isError) {
    const box = $("query-status");
    box.textContent = message;
    box.classList.toggle("error", !!isError);
  }

  function cellText(value) {
    if (value === null || value === undefined) return "";
    if (typeof value !== "object") return String(value);
    const name = value.name ?? (value.properties && value.properties.name);
    if (name !== undefined && value.id !== undefined) return `${name} (${value.id})`;
    if (value.type && value.source !== undefined) return `${value.source} -${value.type}-> ${value.target}`;
    if (value.value !== undefined) return String(value.value);
    return JSON.stringify(value);
  }

  function renderTable(columns, rows, resolved) {
    const table = $("query-table");
    table.replaceChildren();
    table.append(el("thead", {}, el("tr", {}, ...columns.map((c) => el("th", { text: c })))));
    const body = el("tbody");
    for (const row of rows) {
      body.append(el("tr", {}, ...row.map((value) => {
        const text = cellText(value);
        const raw = value && typeof value === "object" ? (value.id ?? value.value) : value;
        const id = resolved[raw] || resolved[text];
        if (id) {
          return el("td", {}, el("a", { "data-id": id, title: id, onclick: () => { setTab("graph"); focusNode(id); } }, text));
        }
        return el("td", { text });
      })));
    }
    table.append(body);
  }

  function renderQueryGraph(graph) {
    queryCy.elements().remove();
    addGraph(queryCy, graph, null);
    queryCy.resize();
    layout(queryCy, true);
  }

  async function resolveValues(values) {
    const unique = [...new Set(values.filter((v) => typeof v === "string" && v))].slice(0, 500);
    if (!unique.length) return { resolved: {}, nodes: [], edges: [] };
    return api("/api/graph/subgraph", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ values: unique }) });
  }

  function keepQuery(lang, text) {  // the query goes into the address bar (#tab=query&ql=sparql&q=…)
    queryState.lang = lang;
    queryState.text = text;
    writeHash();
  }

  async function runSparql() {
    const query = sparqlEditor ? sparqlEditor.getValue() : $("sparql-input").value;
    keepQuery("sparql", query);
    status("运行中 running SPARQL…");
    const post = (accept) => fetch("/sparql", { method: "POST", body: query, headers: {
      "Content-Type": "application/sparql-query", Accept: accept } });
    try {
      const response = await post("application/sparql-results+json, text/turtle;q=0.9");
      const type = response.headers.get("content-type") || "";
      if (!response.ok) {
        const body = type.includes("json") ? await response.json().catch(() => ({})) : { error: await response.text() };
        throw new Error(`${response.status}: ${body.error || body.detail || JSON.stringify(body)}`);
      }
      if (type.includes("turtle")) {  // CONSTRUCT / DESCRIBE: the Turtle, and its IRIs as a graph
        const turtle = await response.text();
        const triples = await (await post("application/n-triples")).text();
        const rows = [];
        for (const line of triples.split("\n")) {
          const m = line.match(/^(<[^>]*>|_:\S+)\s+<([^>]*)>\s+(.*?)\s*\.\s*$/);
          if (m) rows.push([m[1].replace(/^<|>$/g, ""), m[2], m[3].replace(/^<|>$/g, "")]);
        }
        const sub = await resolveValues(rows.flatMap((r) => [r[0], r[2]]));
        renderTable(["subject", "predicate", "object"], rows, sub.resolved);
        renderQueryGraph(sub);
        setResult({ columns: ["subject", "predicate", "object"], rows, turtle });
        status(`${rows.length} 个三元组 triples · ${sub.nodes.length} 个图中节点 nodes in the graph`);
        return;
      }
      if (!type.includes("json")) {
        const text = await response.text();
        renderTable(["result"], [[text]], {});
        renderQueryGraph({ nodes: [], edges: [] });
        setResult({ columns: ["result"], rows: [[text]] });
        status(`结果 result (${type || "text"})`);
        return;
      }
      const data = await response.json();
      if (data.boolean !== undefined) {
        renderTable(["boolean"], [[String(data.boolean)]], {});
        renderQueryGraph({ nodes: [], edges: [] });
        setResult({ columns: ["boolean"], rows: [[String(data.boolean)]] });
        status("ASK");
        return;
      }
      const vars = (data.head && data.head.vars) || [];
      const bindings = (data.results && data.results.bindings) || [];
      const rows = bindings.map((b) => vars.map((v) => (b[v] ? b[v].value : "")));
      const sub = await resolveValues(bindings.flatMap((b) => vars.map((v) => b[v] && b[v].type !== "bnode" ? b[v].value : null)));
      renderTable(vars, rows, sub.resolved);
      renderQueryGraph(sub);
      setResult({ columns: vars, rows });
      status(`${rows.length} 行 rows · ${sub.nodes.length} 个图中节点 nodes in the graph`);
    } catch (err) {
      clearResult();
      status(`SPARQL 出错 error: ${err.message}`, true);
    }
  }

  async function runCypher() {
    const query = cypherEditor ? cypherEditor.getValue() : $("cypher-input").value;
    keepQuery("cypher", query);
    status("运行中 running Cypher…");
    try {
      const data = await api("/cypher", { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ query, parameters: {} }) });
      const columns = data.columns || [];
      const rows = (data.rows || []).map((row) => Array.isArray(row) ? row : columns.map((c) => row[c]));
      let graph = normaliseCypherGraph(data.graph || {});
      const values = rows.flat().map((v) => (v && typeof v === "object" ? v.id : v));
      const sub = await resolveValues([...values, ...graph.nodes.map((n) => n.id)]);
      if (!graph.nodes.length) graph = sub;
      renderTable(columns, rows, sub.resolved);
      renderQueryGraph(graph);
      setResult({ columns, rows });
      status(`${rows.length} 行 rows${data.truncated ? "（已截断 truncated）" : ""} · ${graph.nodes.length} 个节点 nodes`);
    } catch (err) {
      clearResult();
      status(`Cypher 出错 error: ${err.message}`, true);
    }
  }

  function normaliseCypherGraph(graph) {
    const nodes = (graph.nodes || []).map((n) => {
      const props = n.props || n.properties || {};
      const labels = n.labels || [];
      const type = n.type || labels.find((l) => l in NODE_STYLE) || labels[0] || props.type || "";
      return { id: String(n.id ?? props.id), type,
        name: n.name || props.name || String(n.id ?? props.id), props };
    });
    const edges = (graph.edges || graph.relationships || []).map((e, i) => ({
      id: String(e.id ?? `${e.source}|${e.type}|${e.target}|${i}`), source: String(e.source ?? e.start),
      target: String(e.target ?? e.end), type: e.type, props: e.props || e.properties || {}, evidence: e.evidence || [] }));
    return { nodes, edges };
  }

  $("run-sparql").addEventListener("click", runSparql);
  $("run-cypher").addEventListener("click", runCypher);
  queryCy.on("tap", "node", (evt) => { setTab("graph"); focusNode(evt.target.id()); });

  // -- build problems: documents that failed, duplicates left out ------------------------------
  async function openProblems() {
    let data;
    try {
      data = await api("/api/build/problems");
    } catch (err) {
      $("problems-status").textContent = `出错 error: ${err.message}`;
      return;
    }
    const table = (id, rows) => {
      const box = $(id);
      box.replaceChildren(el("thead", {}, el("tr", {}, ...["文件 Document", "格式 Format", "原因 Reason"]
        .map((h) => el("th", { text: h })))));
      box.append(el("tbody", {}, ...rows.map((r) => el("tr", { "data-document": r.document },
        el("td", { text: r.document }), el("td", { text: r.format || "—" }), el("td", { text: r.reason || "—" })))));
    };
    table("problems-failed", data.failed);
    table("problems-duplicates", data.duplicates);
    $("problems-failed-title").textContent = `未能构建的文件 Documents that failed (${data.failed.length})`;
    $("problems-duplicates-title").textContent = `重复的文件 Duplicates left out (${data.duplicates.length})`;
    $("problems-status").textContent = `${data.documents} 个文件 files in build ${data.build}`;
    document.body.dataset.problems = "loaded";
  }

  // -- platform timeline (side panel of a Platform node) --------------------------------------
  function yearSpan(first, last) {
    if (first === null || first === undefined) return "—";
    return first === last ? String(first) : `${first}–${last}`;
  }

  async function loadTimeline(id, box) {
    let t;
    try {
      t = await api(`/api/platforms/${enc(id)}/timeline`);
    } catch (err) {
      box.replaceChildren(el("h2", { text: "时间线 Timeline" }), el("p", { class: "error", text: err.message }));
      return;
    }
    const children = [el("h2", { text: "时间线 Timeline" }),
      el("p", { class: "span-years" }, "提及年份 Years mentioned, first/last: ",
        el("strong", { class: "first-year", text: String(t.first_year ?? "—") }), " / ",
        el("strong", { class: "last-year", text: String(t.last_year ?? "—") }))];
    const table = el("table", { class: "data timeline-years" },
      el("thead", {}, el("tr", {}, el("th", { text: "年份 Year" }), el("th", { text: "规划 Plans" }),
        el("th", { text: "牵头机构 Lead agencies" }))));
    const body = el("tbody");
    for (const y of t.years || []) {
      const plans = el("ul", { class: "links" }, ...(y.plans || []).map((p) => el("li", {},
        nodeLink({ id: p.id, name: `${p.jurisdiction ? p.jurisdiction + " · " : ""}${p.title || p.id}` }))));
      const agencies = el("ul", { class: "links" }, ...(y.agencies || []).map((a) => el("li", {}, nodeLink(a))));
      body.append(el("tr", { "data-year": String(y.year) }, el("td", { text: String(y.year ?? "?") }),
        el("td", {}, plans), el("td", {}, (y.agencies || []).length ? agencies : "—")));
    }
    table.append(body);
    children.push(el("h4", { text: "每年规划 Plans per year" }), table);
    const branches = t.branches || [];
    children.push(el("h4", { text: `分支 Branches (${branches.length})` }));
    if (branches.length) {
      children.push(el("ul", { class: "links timeline-branches" }, ...branches.map((b) => el("li", { "data-id": b.id },
        nodeLink(b), " ", el("span", { class: "basis",
          text: `${yearSpan(b.first_year, b.last_year)}${(b.jurisdictions || []).length ? " · " + b.jurisdictions.join("、") : ""}` })))));
    }
    if (t.parent) children.push(el("p", {}, "上级平台 Branch of: ", nodeLink(t.parent)));
    box.replaceChildren(...children);
  }

  // -- series view --------------------------------------------------------------------------
  // what a point counts: each kind is its own series on the chart (a stock, an increment and a
  // cumulative goal are never joined by one line); `line: false` draws the kind as marks only
  const KINDS = {
    baseline: { symbol: "rect", label: "基数 baseline (reported)", line: true },
    stock: { symbol: "emptyCircle", label: "推算存量 derived stock", line: true, dashed: true },
    level: { symbol: "roundRect", label: "目标水平 level goal", line: true },
    cumulative: { symbol: "circle", label: "累计 cumulative", line: true },
    increment: { symbol: "triangle", label: "新增 increment", line: false },
    share: { symbol: "diamond", label: "占比 share", line: true },
  };
  const kindOf = (k) => KINDS[k] || { symbol: "pin", label: k || "?" };
  const seriesState = { indicator: null, jurisdiction: "", indicators: null, points: [], derived: [], seq: 0 };
  let chart = null;

  function seriesStatus(message, isError) {
    const box = $("series-status");
    box.textContent = message;
    box.classList.toggle("error", !!isError);
  }

  function formatValue(value, unit) {
    if (value === null || value === undefined) return "—";
    return `${Number(value).toLocaleString("zh-CN")}${unit ? " " + unit : ""}`;
  }

  async function openSeries() {
    if (!chart) {
      chart = echarts.init($("series-chart"), null, { renderer: "canvas" });
      window.govkgChart = chart;
      chart.on("click", (params) => {
        const index = params.data && params.data.pointIndex;
        if (index !== undefined) showPoint(index);
        else if (params.data && params.data.derivedIndex !== undefined) showDerived(params.data.derivedIndex);
      });
      window.addEventListener("resize", () => chart.resize());
      $("series-indicator").addEventListener("change", () => {
        seriesState.indicator = $("series-indicator").value;
        seriesState.jurisdiction = "";
        loadSeries();
      });
      $("series-jurisdiction").addEventListener("change", () => {
        seriesState.jurisdiction = $("series-jurisdiction").value;
        loadSeries();
      });
      $("series-kinds").replaceChildren(...Object.values(KINDS).map((k) => el("span", { class: "kind-key" },
        el("span", { class: `swatch shape-${k.symbol}` }), k.label)));
    }
    if (!seriesState.indicators) {
      try {
        const page = await api("/api/indicators?matched=true&limit=1000");
        seriesState.indicators = page.items;
      } catch (err) {
        seriesStatus(`无法加载指标 cannot load indicators: ${err.message}`, true);
        return;
      }
      const select = $("series-indicator");
      select.replaceChildren(...seriesState.indicators.map((i) => el("option", { value: i.id,
        text: `${i.label}${i.label_en ? " · " + i.label_en : ""} (${i.points})` })));
      if (!seriesState.indicators.length) {
        seriesStatus("没有带数据点的指标 no indicator has points in this build");
        return;
      }
    }
    if (!seriesState.indicator || !seriesState.indicators.some((i) => i.id === seriesState.indicator)) {
      const resolved = seriesState.indicator && seriesState.indicators.find((i) => i.label === seriesState.indicator);
      seriesState.indicator = resolved ? resolved.id : (seriesState.indicators[0] || {}).id;
    }
    $("series-indicator").value = seriesState.indicator;
    chart.resize();
    await loadSeries();
  }

  async function loadSeries() {
    const id = seriesState.indicator;
    if (!id) return;
    const seq = ++seriesState.seq;
    const info = seriesState.indicators.find((i) => i.id === id);
    const jurSelect = $("series-jurisdiction");
    jurSelect.replaceChildren(el("option", { value: "", text: "全部 all" }),
      ...((info && info.jurisdictions) || []).map((j) => el("option", { value: j, text: j })));
    jurSelect.value = seriesState.jurisdiction || "";
    seriesStatus("加载中 loading…");
    $("series-point").replaceChildren();
    $("series-panel-empty").hidden = false;
    writeHash();
    const jur = seriesState.jurisdiction ? `?jurisdiction=${enc(seriesState.jurisdiction)}` : "";
    let data;
    let checks;
    try {
      [data, checks] = await Promise.all([api(`/api/indicators/${enc(id)}/series${jur}`),
        api(`/api/indicators/${enc(id)}/checks`)]);
    } catch (err) {
      if (seq === seriesState.seq) seriesStatus(`出错 error: ${err.message}`, true);
      return;
    }
    if (seq !== seriesState.seq) return;
    seriesState.points = data.points || [];
    seriesState.derived = data.derived || [];
    renderChart(data);
    renderPoints(seriesState.points);
    renderDerived(seriesState.derived);
    renderUndated(data.undated || []);
    renderChecks(checks);
    document.body.dataset.series = id;
    seriesStatus(`${data.indicator.label}: ${data.total} 个数据点 points · ${(data.jurisdictions || []).length} 个地区 jurisdictions`);
  }

  function renderChart(data) {
    const points = seriesState.points;
    const derived = seriesState.derived;
    const hasShare = points.some((p) => p.kind === "share");
    const hasCount = points.some((p) => p.kind !== "share");
    const groups = new Map();
    const add = (p, datum) => {
      const share = p.kind === "share" && hasCount;
      const name = `${p.jurisdiction || "?"} · ${kindOf(p.kind).label}`;
      if (!groups.has(name)) groups.set(name, { name, share, kind: p.kind, jurisdiction: p.jurisdiction, data: [] });
      groups.get(name).data.push({ value: [p.year, p.value], symbol: kindOf(p.kind).symbol, symbolSize: 12,
        kind: p.kind, unit: p.unit, ...datum });
    };
    points.forEach((p, index) => {
      if (p.year === null || p.year === undefined || p.value === null || p.value === undefined) return;
      add(p, { pointIndex: index });
    });
    derived.forEach((d, index) => add(d, { derivedIndex: index }));
    const series = [...groups.values()].map((g) => {
      const k = kindOf(g.kind);
      return { name: g.name, type: k.line ? "line" : "scatter", yAxisIndex: g.share ? 1 : 0,
        kind: g.kind, jurisdiction: g.jurisdiction,
        lineStyle: k.dashed ? { type: "dashed" } : undefined,
        data: g.data.sort((x, y) => x.value[0] - y.value[0]), emphasis: { focus: "series" } };
    });
    const years = [...points, ...derived].map((p) => p.year).filter((y) => y !== null && y !== undefined);
    const yAxis = [{ type: "value", name: hasCount ? (data.indicator.units || [])[0] || "" : "%", scale: false }];
    if (hasShare && hasCount) yAxis.push({ type: "value", name: "%", position: "right" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: (params) => {  // plain text: ECharts sets it as HTML, so escape
        const p = params.data.derivedIndex !== undefined ? derived[params.data.derivedIndex]
          : points[params.data.pointIndex] || {};
        const text = `${p.jurisdiction || "?"} ${p.year} · ${kindOf(p.kind).label} · ${formatValue(p.value, p.unit)}`;
        return echarts.format.encodeHTML(text);
      } },
      legend: { type: "scroll", top: 0 },
      grid: { left: 70, right: 60, top: 40, bottom: 40 },
      xAxis: { type: "value", name: "年 year", minInterval: 1,
        min: years.length ? Math.min(...years) - 1 : null, max: years.length ? Math.max(...years) + 1 : null,
        axisLabel: { formatter: (v) => String(v) } },
      yAxis,
      series,
    }, { notMerge: true });
    chart.resize();
  }

  function renderDerived(derived) {
    const list = $("series-derived");
    $("series-derived-title").hidden = !derived.length;
    list.replaceChildren(...derived.map((d, index) => el("li", { class: "derived", "data-index": String(index),
      "data-jurisdiction": d.jurisdiction || "", onclick: () => showDerived(index) },
    el("span", { class: "badge kind", text: kindOf(d.kind).label }),
    ` ${d.jurisdiction || "?"} ${d.year}: ${formatValue(d.value, d.unit)} · ${d.rule}`)));
  }

  function renderUndated(undated) {
    const list = $("series-undated");
    $("series-undated-title").hidden = !undated.length;
    const byTarget = new Map(seriesState.points.map((p, index) => [p.target, index]));
    list.replaceChildren(...undated.map((u) => {
      const index = byTarget.get(u.target);
      const p = seriesState.points[index] || {};
      return el("li", { class: "undated", "data-target": u.target, onclick: () => showPoint(index) },
        `${p.jurisdiction || "?"} · ${kindOf(p.kind).label} · ${formatValue(p.value, p.unit)} — `,
        el("span", { class: "reason", text: u.reason }));
    }));
  }

  function showDerived(index) {
    const d = seriesState.derived[index];
    if (!d) return;
    $("series-panel-empty").hidden = true;
    const byTarget = new Map(seriesState.points.map((p, i) => [p.target, i]));
    const docBox = el("div", { class: "point-doc" });
    $("series-point").replaceChildren(
      el("h3", {}, el("span", { class: "badge kind", text: kindOf(d.kind).label }),
        el("span", { class: "name", text: `${d.jurisdiction || "?"} ${d.year}` })),
      el("p", { class: "point-value", text: `${formatValue(d.value, d.unit)} · 推算 derived (${d.rule})` }),
      el("h2", { text: "来源 Sources" }),
      el("ul", { class: "derived-sources" }, ...d.sources.map((t) => {
        const p = seriesState.points[byTarget.get(t)] || {};
        return el("li", { "data-target": t, onclick: () => showPoint(byTarget.get(t)) },
          `${kindOf(p.kind).label} ${p.year ?? ""}: ${formatValue(p.value, p.unit)}`);
      })),
      el("div", { id: "point-evidence" }, ...(d.evidence || []).map(evidenceQuote)),
      docBox);
    const docs = [...new Set((d.evidence || []).map((e) => e.document))];
    for (const doc of docs) loadEvidence(docBox, doc, d.evidence.filter((e) => e.document === doc));
  }

  function renderPoints(points) {
    const table = $("series-points");
    table.replaceChildren(el("thead", {}, el("tr", {}, ...["地区 Jurisdiction", "年 Year", "类型 Kind", "数值 Value",
      "原文数值 As written", "规划 Plan"].map((h) => el("th", { text: h })))));
    const body = el("tbody");
    points.forEach((p, index) => {
      const row = el("tr", { "data-index": String(index), "data-jurisdiction": p.jurisdiction || "",
        class: p.reported ? "reported" : "", onclick: () => showPoint(index) },
      el("td", { class: "jurisdiction", text: p.jurisdiction || "—" }), el("td", { text: String(p.year ?? "—") }),
      el("td", {}, el("span", { class: `swatch shape-${kindOf(p.kind).symbol}` }), " ", kindOf(p.kind).label),
      el("td", { text: formatValue(p.value, p.unit) }),
      el("td", { text: `${p.qualifier ? p.qualifier + " " : ""}${p.raw_value ?? ""}${p.raw_unit || ""}` }),
      el("td", { text: p.plan_title || p.plan || "" }));
      body.append(row);
    });
    table.append(body);
  }

  function evidenceQuote(evidence) {
    return el("blockquote", { class: "evidence-text", text: evidence.text || "" });
  }

  function showPoint(index) {
    const p = seriesState.points[index];
    if (!p) return;
    for (const row of document.querySelectorAll("#series-points tr.selected")) row.classList.remove("selected");
    const row = document.querySelector(`#series-points tr[data-index="${index}"]`);
    if (row) row.classList.add("selected");
    $("series-panel-empty").hidden = true;
    const box = $("series-point");
    const docBox = el("div", { class: "point-doc" });
    const evidence = p.evidence || [];
    box.replaceChildren(
      el("h3", {}, el("span", { class: "badge kind", text: kindOf(p.kind).label }),
        el("span", { class: "name", text: `${p.jurisdiction || "?"} ${p.year ?? ""}` })),
      el("p", { class: "point-value", text: `${formatValue(p.value, p.unit)}${p.reported ? " · 已实现 reported fact" : " · 目标 goal"}` }),
      propsTable(Object.fromEntries(Object.entries({ indicator: p.indicator,
        as_written: `${p.raw_value ?? ""}${p.raw_unit || ""}`, qualifier: p.qualifier, deadline: p.deadline,
        plan: p.plan_title || p.plan, document: p.document, target: p.target })
        .filter(([, v]) => v !== null && v !== undefined && v !== ""))),
      el("h2", { text: "原文 Source sentence" }),
      el("div", { id: "point-evidence" }, ...evidence.map(evidenceQuote)),
      docBox);
    // the point opens its sentence in the original text
    if (evidence.length) loadEvidence(docBox, evidence[0].document, evidence.filter((e) => e.document === evidence[0].document));
  }

  function renderChecks(checks) {
    const list = $("series-checks");
    const findings = (checks && checks.findings) || [];
    $("series-checks-title").textContent = `一致性检查 Consistency checks (${findings.length})`;
    list.replaceChildren(...findings.map((f) => el("li", { class: `finding ${f.severity || ""}`, "data-type": f.type || "" },
      el("span", { class: "badge", text: f.severity || "info" }), " ", el("span", { class: "message", text: f.message || f.type }),
      el("ul", { class: "sides" }, ...(f.sides || []).map((side) => el("li", {},
        el("strong", { text: `${side.role || ""} · ${side.jurisdiction || ""}${side.total !== undefined ? " · " + formatValue(side.total, f.unit) : ""}` }),
        ...(side.points || []).flatMap((p) => (p.evidence || []).slice(0, 1).map((e) => el("div", { class: "evidence-text small",
          text: `${p.jurisdiction || ""} ${p.year ?? ""}: ${e.text}` })))))))));
    if (!findings.length) list.append(el("li", { class: "hint", text: "没有发现 no findings" }));
  }

  // -- compare plans ------------------------------------------------------------------------
  const compareState = { a: null, b: null, plans: null, seq: 0 };

  async function openCompare() {
    if (!compareState.plans) {
      try {
        compareState.plans = (await api("/api/plans?limit=1000")).items;
      } catch (err) {
        $("compare-status").textContent = err.message;
        return;
      }
      // only plans that can be compared: with measures, or known from news reports
      compareState.plans = compareState.plans.filter((p) => p.measures > 0 || p.reports > 0);
      const option = (p) => el("option", { value: p.id,
        text: `${p.jurisdiction || ""} · ${p.title || p.name}${p.year ? " (" + p.year + ")" : ""} · `
          + (p.measures ? `${p.measures} 条措施 measures` : `仅见于报道 reported only (${p.reports})`) });
      $("compare-a").replaceChildren(...compareState.plans.map(option));
      $("compare-b").replaceChildren(...compareState.plans.map(option));
      $("compare-run").addEventListener("click", () => {
        compareState.a = $("compare-a").value;
        compareState.b = $("compare-b").value;
        runCompare();
      });
      const withMeasures = compareState.plans.filter((p) => p.measures > 0);
      if (!compareState.a) compareState.a = (withMeasures[0] || compareState.plans[0] || {}).id;
      if (!compareState.b) compareState.b = (withMeasures[1] || compareState.plans[1] || compareState.plans[0] || {}).id;
    }
    if (compareState.a) $("compare-a").value = compareState.a;
    if (compareState.b) $("compare-b").value = compareState.b;
    if (compareState.a && compareState.b && compareState.shown !== `${compareState.a}|${compareState.b}`) runCompare();
  }

  /** text with the [start, end) code-point ranges wrapped in <mark> (DOM nodes, no HTML). */
  function markRanges(text, ranges) {
    const chars = Array.from(text || "");
    const box = el("div", { class: "measure-text" });
    let at = 0;
    for (const [start, end] of [...(ranges || [])].sort((x, y) => x[0] - y[0])) {
      const s = Math.max(start, at);
      const e = Math.min(end, chars.length);
      if (e <= s) continue;
      if (s > at) box.append(document.createTextNode(chars.slice(at, s).join("")));
      box.append(el("mark", { text: chars.slice(s, e).join("") }));
      at = e;
    }
    if (at < chars.length) box.append(document.createTextNode(chars.slice(at).join("")));
    return box;
  }

  function measureCell(m, ranges) {
    if (m.reported) {  // a news report's sentence standing for a plan known only from news
      return el("td", { "data-id": m.id, class: "reported" }, el("div", { class: "measure-head" },
        el("span", { class: "badge kind", text: "报道 reported" }), " ",
        el("a", { class: "show-report", onclick: () => { setTab("graph"); showDocument(m.evidence.document, [m.evidence]); } },
          m.evidence.document)), markRanges(m.text, ranges));
    }
    return el("td", { "data-id": m.id }, el("div", { class: "measure-head" },
      nodeLink({ id: m.id, name: `#${m.number || m.seq || ""}` })), markRanges(m.text, ranges));
  }

  async function runCompare() {
    const { a, b } = compareState;
    if (!a || !b) return;
    const seq = ++compareState.seq;
    compareState.shown = `${a}|${b}`;
    const out = $("compare-output");
    $("compare-status").textContent = "对比中 aligning…";
    writeHash();
    let r;
    try {
      r = await api(`/api/plans/align?a=${enc(a)}&b=${enc(b)}`);
    } catch (err) {
      if (seq === compareState.seq) { $("compare-status").textContent = `出错 error: ${err.message}`; out.replaceChildren(); }
      return;
    }
    if (seq !== compareState.seq) return;
    const title = (p) => `${p.jurisdiction || ""} · ${p.title}${p.year ? " (" + p.year + ")" : ""}`;
    const pairs = r.pairs || [];
    const table = el("table", { class: "data align" }, el("thead", {}, el("tr", {},
      el("th", { text: `A: ${title(r.a)}` }), el("th", { class: "score", text: "相似 score" }), el("th", { text: `B: ${title(r.b)}` }))));
    const body = el("tbody");
    for (const pair of pairs) {
      body.append(el("tr", { class: "pair" }, measureCell(pair.a, pair.a_ranges),
        el("td", { class: "score" }, el("div", { text: Number(pair.score).toFixed(2) }),
          el("div", { class: "hint", text: `${pair.shared_chars} 字 shared` }),
          ...(pair.edges || []).map((e) => el("div", { class: "edge-type", text: typeof e === "string" ? e : (e.type || "") }))),
        measureCell(pair.b, pair.b_ranges)));
    }
    if (!pairs.length) body.append(el("tr", { class: "no-pairs" }, el("td", { colspan: "3", class: "hint",
      text: `没有对齐的措施 no aligned measures${r.reason ? ": " + r.reason : ""}` })));
    table.append(body);
    const unmatched = (label, items) => el("details", { class: "unmatched" },
      el("summary", { text: `${label} (${items.length})` }),
      el("ol", {}, ...items.map((m) => el("li", {}, nodeLink({ id: m.id, name: `#${m.number || m.seq || ""}` }), " ",
        el("span", { text: m.text || "" })))));
    out.replaceChildren(table, unmatched(`仅见于 A only`, r.only_a || []), unmatched(`仅见于 B only`, r.only_b || []));
    $("compare-status").textContent = `${pairs.length} 对 aligned pairs · A ${r.a.measures} / B ${r.b.measures} 条措施 measures`;
  }

  // nodeLink in the series/compare views opens the graph tab
  document.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest("#view-series a.node-link, #view-compare a.node-link");
    if (link) setTab("graph");
  }, true);

  // -- start ------------------------------------------------------------------------------
  async function loadVocab() {
    const vocab = await api("/api/vocab");
    for (const t of vocab.node_types) NODE_STYLE[t.type] = { color: t.color, shape: t.shape, label: t.label };
    for (const t of vocab.edge_types) { EDGE_COLOR[t.type] = t.color; EDGE_LABEL[t.type] = t.label; }
    Object.assign(DEFAULT_NODE, vocab.default_node);
    defaultEdgeColor = vocab.default_edge_color || defaultEdgeColor;
  }

  async function start() {
    let meta = null;
    const vocab = loadVocab().then(() => null, (err) => err);  // asked for with the meta, in parallel
    try {
      meta = await api("/api/meta");
      $("build-info").textContent = `build ${meta.build} · ${meta.documents} 文件 documents`;
    } catch (err) {
      $("build-info").textContent = err.message;
    }
    const vocabError = await vocab;
    if (vocabError) $("build-info").textContent = `类型词表 vocabulary: ${vocabError.message}`;
    buildFilters(meta);
    await restoreHash();
    document.body.dataset.ready = "true";
  }
  function showAddress() {  // a pasted link, or Back/Forward: show the view the address holds
    if (restoring || location.hash.replace(/^#/, "") === shownHash) return;
    cy.elements().remove();
    state.expanded = [];
    state.selected = null;
    cutAt.clear();
    broughtBy.clear();
    restoreHash();
  }
  window.addEventListener("hashchange", showAddress);
  window.addEventListener("popstate", showAddress);
  start();
})();
