// The page works without this file; it adds dropping files or a folder, the copy buttons, and a "working" note.
"use strict";

document.querySelectorAll("[data-copy]").forEach((button) => {
  button.addEventListener("click", async () => {
    const box = document.getElementById(button.dataset.copy);
    const label = button.textContent;
    try {
      await navigator.clipboard.writeText(box.value);
    } catch (e) {
      box.select();
      document.execCommand("copy");
    }
    button.textContent = "✓ " + label;
    setTimeout(() => { button.textContent = label; }, 1500);
  });
});

document.querySelectorAll("form[data-busy]").forEach((form) => {
  form.addEventListener("submit", () => { document.getElementById("busy").hidden = false; });
});

const drop = document.getElementById("drop");
if (drop) {
  const input = document.getElementById("files");
  const chosen = document.getElementById("chosen");
  const say = () => {
    const inputs = [input, document.getElementById("folder")];
    const count = inputs.reduce((n, i) => n + (i.files ? i.files.length : 0), 0);
    chosen.textContent = count ? chosen.dataset.template.replace("{count}", count) : "";
  };
  chosen.dataset.template = drop.dataset.chosen || "{count}";
  document.querySelectorAll(".drop input[type=file]").forEach((i) => i.addEventListener("change", say));
  // A dropped folder is walked (webkitGetAsEntry), its files put in the form's file field.
  const walk = (entry, found) => new Promise((done) => {
    if (entry.isFile) { entry.file((file) => { found.push(file); done(); }, () => done()); return; }
    const reader = entry.createReader();
    const more = () => reader.readEntries(async (entries) => {
      if (!entries.length) { done(); return; }
      for (const child of entries) { await walk(child, found); }
      more();
    }, () => done());
    more();
  });
  ["dragenter", "dragover"].forEach((kind) => drop.addEventListener(kind, (event) => {
    event.preventDefault(); drop.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((kind) => drop.addEventListener(kind, () => drop.classList.remove("over")));
  drop.addEventListener("drop", async (event) => {
    event.preventDefault();
    const found = [];
    const entries = [...event.dataTransfer.items].map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry());
    if (entries.every(Boolean)) {
      for (const entry of entries) { await walk(entry, found); }
    } else {
      found.push(...event.dataTransfer.files);
    }
    const files = new DataTransfer();
    [...(input.files || []), ...found].forEach((file) => files.items.add(file));
    input.files = files.files;
    say();
  });
}
