/* Editing presence: a heartbeat keeps this tab's lock, "Take over" takes it, closing the tab frees it. */
"use strict";
(function () {
  let box, url, token, timer;

  function show(state) {
    const text = box.querySelector(".desk-presence-text");
    const take = box.querySelector(".desk-take-over");
    if (state.taken_by) {
      const who = state.taken_by.yours ? "You took this story over in another window" : `${state.taken_by.name} took over this story`;
      text.textContent = `${who} at ${state.taken_by.at}. Your changes cannot be saved unless you take it back.`;
      take.textContent = "Take it back";
      take.hidden = false;
      box.classList.add("desk-presence-locked");
      return;
    }
    if (state.you_hold_lock) {
      const others = state.others.map((o) => `${o.name} (since ${o.since})`);
      text.textContent = others.length ? `Also here: ${others.join(", ")}.` : "";
      take.hidden = true;
      box.classList.remove("desk-presence-locked");
    } else if (state.holder) {
      text.textContent = state.holder.yours
        ? `You are editing this story in another window since ${state.holder.since}.`
        : `${state.holder.name} is editing since ${state.holder.since}.`;
      take.textContent = state.holder.yours ? "Edit here" : "Take over";
      take.hidden = false;
      box.classList.add("desk-presence-locked");
    }
  }

  async function send(action) {
    const response = await window.desk.post(url, { token, action });
    if (!response.ok) return null;
    const state = await response.json();
    show(state);
    return state;
  }

  document.addEventListener("DOMContentLoaded", () => {
    box = document.getElementById("desk-presence");
    if (!box) return;
    url = box.dataset.url;
    token = box.dataset.token;
    const interval = parseInt(box.dataset.interval || "30000", 10);
    timer = setInterval(() => send("heartbeat"), interval);
    box.querySelector(".desk-take-over").addEventListener("click", () => send("take"));
    let submitting = false;  // a save ends this session on the server (or keeps it, if the form comes back)
    const form = box.closest("form");
    if (form) form.addEventListener("submit", () => { submitting = true; });
    window.addEventListener("pagehide", () => {
      clearInterval(timer);
      if (submitting) return;
      const body = new FormData();
      body.append("token", token);
      body.append("action", "leave");
      body.append("csrfmiddlewaretoken", window.desk.csrfToken());
      navigator.sendBeacon(url, body);
    });
    window.desk.presence = { beat: () => send("heartbeat"), take: () => send("take") };
  });
})();
