#!/usr/bin/env node
// Writes a small replacement for the theme's _static/scripts/fontawesome.js (1.4 MB: every Font
// Awesome icon) that renders only the icons the themes can use, from the same Font Awesome Free
// release (npm packages @fortawesome/free-solid-svg-icons and free-brands-svg-icons, pinned in
// package.json). `make book` puts the result in _extra/_static/scripts/, which Sphinx copies over
// the theme's file (html_extra_path is copied after the static files).
//
//   node tools/fontawesome_subset.js OUT.js THEME_DIR [THEME_DIR ...]
//
// The icon names are collected from the theme packages' templates and scripts (every `fa-NAME`
// token that names an icon), so a theme upgrade that adds an icon is picked up; the browser tests
// fail if a page still shows an icon this script did not render.
"use strict";
const fs = require("fs");
const path = require("path");
const solid = require("@fortawesome/free-solid-svg-icons");
const brands = require("@fortawesome/free-brands-svg-icons");

function packByName(pack) {
  const byName = {};
  for (const def of Object.values(pack)) {
    if (def && def.iconName && def.icon) {
      const [w, h, aliases, , d] = def.icon;
      for (const name of [def.iconName, ...aliases.filter((a) => typeof a === "string")]) {
        byName[name] = [w, h, Array.isArray(d) ? d.join(" ") : d];
      }
    }
  }
  return byName;
}

function walk(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (/\.(html|js|py)$/.test(entry.name) && !/fontawesome\.js$/.test(entry.name)) out.push(p);
  }
  return out;
}

function main(argv) {
  const [out, ...dirs] = argv;
  if (!out || dirs.length === 0) {
    console.error("usage: node tools/fontawesome_subset.js OUT.js THEME_DIR [THEME_DIR ...]");
    return 2;
  }
  const all = { solid: packByName(solid), brands: packByName(brands) };
  // sphinx-book-theme builds the repository button's icon as f"fab fa-{provider}": no literal token.
  const wanted = new Set(["github", "gitlab", "bitbucket"]);
  for (const dir of dirs) {
    for (const file of walk(dir, [])) {
      for (const m of fs.readFileSync(file, "utf8").matchAll(/\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)/g)) wanted.add(m[1]);
    }
  }
  const icons = { solid: {}, brands: {} };
  for (const name of [...wanted].sort()) {
    for (const set of ["solid", "brands"]) if (all[set][name]) icons[set][name] = all[set][name];
  }
  const count = Object.keys(icons.solid).length + Object.keys(icons.brands).length;
  if (count === 0) {
    console.error("fontawesome_subset: no icon names found under " + dirs.join(", "));
    return 1;
  }
  const runtime = `/*! Icons: Font Awesome Free 6.5.2 (CC BY 4.0), https://fontawesome.com/license/free.
 * Subset of ${count} icons written by tools/fontawesome_subset.js. */
(function () {
  "use strict";
  var ICONS = ${JSON.stringify(icons)};
  var PREFIX = { fa: "solid", fas: "solid", "fa-solid": "solid", far: "solid", "fa-regular": "solid",
                 fab: "brands", "fa-brands": "brands" };
  var NS = "http://www.w3.org/2000/svg";
  var css = ".svg-inline--fa{display:var(--fa-display,inline-block);height:1em;overflow:visible;" +
    "vertical-align:-.125em;box-sizing:content-box}.svg-inline--fa.fa-lg{vertical-align:-.2em}" +
    ".fa-lg{font-size:1.25em;line-height:.05em}.fa-fw{text-align:center;width:1.25em}";
  function icon(el) {
    var set = null, name = null, i, c;
    for (i = 0; i < el.classList.length; i++) {
      c = el.classList[i];
      if (PREFIX.hasOwnProperty(c)) set = set || PREFIX[c];
    }
    if (!set) return null;
    for (i = 0; i < el.classList.length; i++) {
      c = el.classList[i];
      if (c.indexOf("fa-") === 0 && ICONS[set].hasOwnProperty(c.slice(3))) name = c.slice(3);
    }
    return name ? [name, ICONS[set][name]] : null;
  }
  function render(root) {
    var els = (root || document).querySelectorAll("i[class*='fa'], span[class*='fa']"), k, el, found, svg, p, a;
    for (k = 0; k < els.length; k++) {
      el = els[k];
      found = icon(el);
      if (!found) continue;
      svg = document.createElementNS(NS, "svg");
      for (a = 0; a < el.attributes.length; a++) svg.setAttribute(el.attributes[a].name, el.attributes[a].value);
      svg.setAttribute("class", el.getAttribute("class") + " svg-inline--fa");
      svg.setAttribute("data-icon", found[0]);
      svg.setAttribute("viewBox", "0 0 " + found[1][0] + " " + found[1][1]);
      svg.setAttribute("focusable", "false");
      if (!el.hasAttribute("aria-label") && !el.hasAttribute("title")) svg.setAttribute("aria-hidden", "true");
      p = document.createElementNS(NS, "path");
      p.setAttribute("fill", "currentColor");
      p.setAttribute("d", found[1][2]);
      svg.appendChild(p);
      el.parentNode.replaceChild(svg, el);
    }
  }
  function start() {
    var style = document.createElement("style");
    style.textContent = css;
    document.head.appendChild(style);
    render(document);
    if (window.MutationObserver) {
      new MutationObserver(function (records) {
        for (var r = 0; r < records.length; r++)
          for (var n = 0; n < records[r].addedNodes.length; n++)
            if (records[r].addedNodes[n].nodeType === 1) render(records[r].addedNodes[n].parentNode || document);
      }).observe(document.documentElement, { childList: true, subtree: true });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
`;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, runtime);
  console.log(`fontawesome_subset: ${count} icons, ${runtime.length} bytes -> ${out}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
