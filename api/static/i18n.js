/* govkg explorer: the language switch (中文 / English).
 *
 * Loaded before explorer.js. English mode (kept in localStorage "govkg.lang"):
 *   - every /api/ request carries lang=en, so names come back in English (REST ?lang=en);
 *   - the bilingual labels of the page ("机构 Agency", "图谱 Graph") show their English part,
 *     also for what explorer.js adds later (legend, panels), through a MutationObserver;
 *   - the agency panel shows the English name, the function and the counterparts
 *     (explorer.js calls govkgI18n.agencyPanel).
 * Chinese mode (the default) leaves the page as explorer.js makes it (bilingual labels). Text from documents is never touched: only
 * text nodes of elements marked by the page (headings, buttons, labels, legend, hints) are.
 */
(function () {
  "use strict";

  const KEY = "govkg.lang";
  const lang = (() => { try { return localStorage.getItem(KEY) || "zh"; } catch (e) { return "zh"; } })();
  const english = lang === "en";
  // "中文部分 English part": a Chinese part, one space, an ASCII part
  const BILINGUAL = /^([^\x00-\x7f][^]*?)\s+([\x20-\x7e][\x20-\x7e()/…:,.'’-]*?)(\s*\(\d+\))?$/;
  const TRANSLATED = "[data-i18n-done]";
  const SELECTOR = "h1 .sub, h2, h3.label, button, label, .legend li, .hint, th, #panel-empty, option";
  const UI = {
    en: { function: "Function", level: "Level", counterparts: "Counterparts", nameZh: "Chinese name", none: "none",
          up: "up", down: "down", switchTo: "中文" },
    zh: { function: "职能", level: "层级", counterparts: "上下级对口部门", nameZh: "英文名称", none: "无",
          up: "上级", down: "下级", switchTo: "English" },
  };
  const LEVELS = { en: { national: "national", province: "province", prefecture: "prefecture", county: "county" },
                   zh: { national: "国家级", province: "省级", prefecture: "地市级", county: "县级" } };
  const t = UI[english ? "en" : "zh"];

  if (english) {
    const original = window.fetch.bind(window);
    window.fetch = function (resource, options) {
      if (typeof resource === "string" && resource.startsWith("/api/") && !/[?&]lang=/.test(resource)) {
        resource += (resource.includes("?") ? "&" : "?") + "lang=en";
      }
      return original(resource, options);
    };
  }

  function translateText(node) {
    for (const child of node.childNodes) {
      if (child.nodeType !== 3) continue;
      const m = BILINGUAL.exec(child.textContent.trim());
      if (m) child.textContent = m[2] + (m[3] || "");
    }
  }

  function translate(root) {
    if (!(root instanceof Element)) return;
    const found = root.matches(SELECTOR) ? [root] : [];
    found.push(...root.querySelectorAll(SELECTOR));
    for (const node of found) translateText(node);
  }

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    node.setAttribute("data-i18n-done", "");
    return node;
  }

  // the agency panel: English (or Chinese) name, function, level and counterparts
  function agencyPanel(agency, section, nodeLink) {
    const box = el("div", undefined, "agency-profile");
    box.id = "agency-profile";
    const labels = agency.function_label || {};
    const rows = [
      [t.nameZh, english ? (agency.name_zh || "") : (agency.name_en || "")],
      [t.function, (english ? labels.en : labels.zh) || agency.function || t.none],
      [t.level, (LEVELS[english ? "en" : "zh"] || {})[agency.level] || agency.level || t.none],
    ];
    const list = el("dl", undefined, "props");
    for (const [k, v] of rows) { list.append(el("dt", k), el("dd", v)); }
    box.append(list, el("h2", `${t.counterparts} (${(agency.counterparts || []).length})`));
    const ul = el("ul", undefined, "links counterparts");
    for (const c of agency.counterparts || []) {
      const li = el("li");
      li.append(nodeLink({ id: c.id, name: c.name }), el("span", ` ${c.direction === "up" ? t.up : t.down}`, "hint"));
      ul.append(li);
    }
    box.append(ul);
    section.prepend(box);
  }

  function addSwitch() {
    const button = el("button", t.switchTo);
    button.type = "button";
    button.id = "lang-switch";
    button.title = english ? "切换到中文" : "Switch to English";
    button.addEventListener("click", () => {
      try { localStorage.setItem(KEY, english ? "zh" : "en"); } catch (e) { /* private mode: stays */ }
      location.reload();
    });
    const header = document.querySelector("header");
    if (header) header.append(button);
  }

  document.documentElement.lang = english ? "en" : "zh-CN";
  document.addEventListener("DOMContentLoaded", () => {
    addSwitch();
    if (!english) return;
    translate(document.body);
    new MutationObserver((mutations) => {
      for (const m of mutations) for (const node of m.addedNodes) {
        if (node instanceof Element && !node.closest(TRANSLATED)) translate(node);
      }
    }).observe(document.body, { childList: true, subtree: true });
  });

  window.govkgI18n = { lang, english, agencyPanel };
})();
