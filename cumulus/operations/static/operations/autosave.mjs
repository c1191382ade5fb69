// Keeps a draft of a form in this browser tab (sessionStorage) while the practitioner types,
// so a crash, a lost connection or a server killed mid-save does not lose what they wrote.
// Used on forms marked data-autosave="KEY". The draft lives only in this tab and is gone when
// the tab is closed; it is never sent anywhere. After "send" the draft is kept as "sent, not
// confirmed" until the next page of the service loads without an error from that form.
const PREFIX = "cumulus-draft:";
const MAX_AGE_MS = 8 * 60 * 60 * 1000;

function fields(form) {
  return [...form.elements].filter((el) => el.name && el.name !== "csrfmiddlewaretoken");
}

function read(form) {
  const values = {};
  for (const el of fields(form)) {
    if (el.type === "checkbox" || el.type === "radio") {
      values[`${el.name}=${el.value}`] = el.checked;
    } else if (el.tagName === "TEXTAREA" || el.type === "text") {
      values[el.name] = el.value;
    }
  }
  return values;
}

function write(form, values) {
  for (const el of fields(form)) {
    if (el.type === "checkbox" || el.type === "radio") {
      const key = `${el.name}=${el.value}`;
      if (key in values) el.checked = values[key];
    } else if (el.name in values && !el.value) {
      el.value = values[el.name];
    }
  }
}

function notice(form, text) {
  const p = document.createElement("div");
  p.className = "govuk-inset-text";
  p.dataset.testid = "draft-restored";
  p.textContent = text;
  form.prepend(p);
}

for (const form of document.querySelectorAll("form[data-autosave]")) {
  const key = PREFIX + form.dataset.autosave;
  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(key) || "null");
  } catch {
    saved = null;
  }
  const hasErrors = document.querySelector(".govuk-error-summary") !== null;
  if (saved && Date.now() - saved.at < MAX_AGE_MS && !hasErrors) {
    write(form, saved.values);
    notice(
      form,
      saved.sent
        ? "We kept what you wrote when you last pressed send, but we could not confirm it was received. Check the child's record before sending it again."
        : "We kept the draft you were writing in this tab.",
    );
  }
  const save = (sent) => {
    sessionStorage.setItem(key, JSON.stringify({ at: Date.now(), sent, values: read(form) }));
  };
  form.addEventListener("input", () => save(false));
  form.addEventListener("change", () => save(false));
  form.addEventListener("submit", () => save(true));
}

// A page that confirms a save names the draft to forget.
for (const el of document.querySelectorAll("[data-autosave-saved]")) {
  sessionStorage.removeItem(PREFIX + el.dataset.autosaveSaved);
}
