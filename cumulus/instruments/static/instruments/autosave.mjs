// Progressive enhancement: save the draft a few seconds after the practitioner stops typing.
// Without JavaScript the "Save draft" button does the same. No inline script (CSP-friendly).
const form = document.querySelector("form[data-autosave]");
const status = document.getElementById("autosave-status");
let timer = null;
let inFlight = false;

async function save() {
  if (inFlight) {
    timer = setTimeout(save, 1500);
    return;
  }
  inFlight = true;
  const data = new FormData(form);
  data.set("action", "autosave");
  try {
    const response = await fetch(form.dataset.autosave, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    });
    if (!response.ok) throw new Error(String(response.status));
    const result = await response.json();
    const time = new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    status.textContent = result.problems
      ? `Saved automatically at ${time}. ${result.problems} answer(s) need checking.`
      : `Saved automatically at ${time}.`;
    form.dataset.autosaved = "yes";
  } catch {
    status.textContent = "Could not save automatically. Use Save draft.";
  } finally {
    inFlight = false;
  }
}

if (form && status) {
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 2000);
  };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", () => clearTimeout(timer));
}
