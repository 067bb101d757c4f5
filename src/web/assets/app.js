// newsgraph pages work without this script; it only adds interaction:
// - article page: hovering a highlighted stretch lights up its facts, and hovering a fact
//   lights up its evidence in the text;
// - entity page: the network drawing zooms with the mouse wheel and pans by dragging.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const marks = Array.from(document.querySelectorAll("mark.evidence[data-facts]"));
  const light = (ids, on) => {
    for (const id of ids) {
      const row = document.getElementById(id);
      if (row) row.classList.toggle("hot", on);
      for (const m of marks) {
        if (m.dataset.facts.split(" ").includes(id)) m.classList.toggle("hot", on);
      }
    }
  };
  for (const m of marks) {
    const ids = m.dataset.facts.split(" ");
    m.addEventListener("mouseenter", () => light(ids, true));
    m.addEventListener("mouseleave", () => light(ids, false));
  }
  for (const row of document.querySelectorAll("table.facts tr[id]")) {
    row.addEventListener("mouseenter", () => light([row.id], true));
    row.addEventListener("mouseleave", () => light([row.id], false));
  }
  for (const svg of document.querySelectorAll("svg.network")) {
    const box = svg.viewBox.baseVal;
    const home = { x: box.x, y: box.y, w: box.width, h: box.height };
    svg.addEventListener("wheel", (e) => {
      e.preventDefault();
      const k = e.deltaY > 0 ? 1.15 : 1 / 1.15;
      const r = svg.getBoundingClientRect();
      const px = box.x + ((e.clientX - r.left) / r.width) * box.width;
      const py = box.y + ((e.clientY - r.top) / r.height) * box.height;
      box.width = Math.min(home.w * 4, Math.max(home.w / 8, box.width * k));
      box.height = box.width * (home.h / home.w);
      box.x = px - ((e.clientX - r.left) / r.width) * box.width;
      box.y = py - ((e.clientY - r.top) / r.height) * box.height;
    }, { passive: false });
    let drag = null;
    svg.addEventListener("pointerdown", (e) => {
      if (e.target.closest("a")) return;
      drag = { x: e.clientX, y: e.clientY, bx: box.x, by: box.y };
    });
    svg.addEventListener("pointermove", (e) => {
      if (!drag) return;
      const r = svg.getBoundingClientRect();
      box.x = drag.bx - ((e.clientX - drag.x) / r.width) * box.width;
      box.y = drag.by - ((e.clientY - drag.y) / r.height) * box.height;
    });
    window.addEventListener("pointerup", () => { drag = null; });
    svg.addEventListener("dblclick", () => { box.x = home.x; box.y = home.y; box.width = home.w; box.height = home.h; });
  }
});
