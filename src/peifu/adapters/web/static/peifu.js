// Live countdowns: every element with data-due (ISO time) shows the time left and its colour band.
// The server's clock may differ from the browser's (or be a sandbox test clock): count from it.
let peifuSkew = null;
function peifuTick() {
  if (peifuSkew === null) peifuSkew = Date.now() - Date.parse(document.body.dataset.now || new Date().toISOString());
  const now = Date.now() - peifuSkew;
  document.querySelectorAll("[data-due]").forEach((el) => {
    const left = Math.floor((Date.parse(el.dataset.due) - now) / 1000);
    const sign = left < 0 ? "-" : "";
    const s = Math.abs(left);
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    el.textContent = sign + (d ? d + "d " : "") + String(h).padStart(2, "0") + ":" + String(m).padStart(2, "0") + ":" + String(sec).padStart(2, "0");
    el.classList.remove("urgent", "soon", "calm");
    el.classList.add(left < 12 * 3600 ? "urgent" : left < 24 * 3600 ? "soon" : "calm");
  });
}
document.addEventListener("DOMContentLoaded", () => { peifuTick(); setInterval(peifuTick, 1000); });
document.addEventListener("htmx:afterSwap", peifuTick);

// Behaviour bound here rather than in on…= attributes: the pages' Content Security Policy runs
// no inline script.
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  // A "choose all" checkbox (data-select-all="<selector of the boxes it sets>").
  const all = target.closest("[data-select-all]");
  if (all instanceof HTMLInputElement) {
    document.querySelectorAll(all.dataset.selectAll).forEach((box) => { box.checked = all.checked; });
  }
  // The triage suggestion: copy its reason and case type into the request form.
  const use = target.closest("[data-use-triage-hint]");
  if (use) {
    const hint = use.closest("[data-testid=triage-hint]");
    const form = use.closest("form");
    if (hint && form) {
      form.elements["reason"].value = hint.dataset.reason;
      form.elements["case_type"].value = hint.dataset.caseType;
    }
  }
});
