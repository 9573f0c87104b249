// The idle-session warning (templates/_session.html, dxday/accounts/session.py).
//
// The page is rendered with the seconds its session has left, counted by the server from the
// last-seen time it stored; this script counts down on the page's own clock. Before warning, and
// again at the end, it asks the server (a request that does not count as activity): another
// tab may have extended the session meanwhile. "Stay logged in" posts the dialog's form. Without
// JavaScript nothing shows, and a form posted after the end is kept for after the next login.
(function () {
  "use strict";

  // On the login page: the note that typing was kept goes to the top of the content.
  var note = document.getElementById("session-kept-note");
  var main = document.getElementById("main");
  if (note && main) {
    main.insertBefore(note, main.firstChild);
  }

  var dialog = document.getElementById("session-timeout");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var warnAt = parseInt(dialog.dataset.warn, 10) || 120;
  var endsAt = Date.now() + (parseInt(dialog.dataset.secondsLeft, 10) || 0) * 1000;
  var countdown = dialog.querySelector("[data-countdown]");
  var form = dialog.querySelector("form[data-extend]");
  var keepsTyping = document.querySelector("form[data-keeps-typing]") !== null;
  var state = "idle";
  var checking = false;
  var timer = null;

  dialog.querySelectorAll("[data-when-keeps-typing]").forEach(function (el) {
    el.hidden = !keepsTyping;
  });
  dialog.querySelectorAll("[data-unless-keeps-typing]").forEach(function (el) {
    el.hidden = keepsTyping;
  });

  function left() {
    return Math.max(0, Math.round((endsAt - Date.now()) / 1000));
  }

  function clock(seconds) {
    var s = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (s < 10 ? "0" : "") + s;
  }

  function paint() {
    if (countdown) {
      countdown.textContent = countdown.dataset.countdown.replace("{time}", clock(left()));
    }
  }

  function show(which) {
    state = which;
    dialog.querySelectorAll("[data-state]").forEach(function (part) {
      part.hidden = part.dataset.state !== which;
    });
    dialog.dataset.shown = which;
    paint();
    if (!dialog.open) {
      dialog.showModal();
    }
    var focus = dialog.querySelector('[data-state="' + which + '"] button');
    if (focus) {
      focus.focus();
    }
  }

  function hide() {
    state = "idle";
    delete dialog.dataset.shown;
    if (dialog.open) {
      dialog.close();
    }
  }

  function ended() {
    if (timer !== null) {
      clearInterval(timer);
      timer = null;
    }
    show("ended");
  }

  // The server's count: {seconds_left, warn_seconds}; 401 once the session is over.
  function answer(response) {
    return response.json().then(function (body) {
      return { ok: response.ok, body: body };
    });
  }

  function adopt(result) {
    if (!result.ok) {
      ended();
      return false;
    }
    endsAt = Date.now() + result.body.seconds_left * 1000;
    return true;
  }

  function check() {
    if (checking) {
      return;
    }
    checking = true;
    fetch(dialog.dataset.statusUrl, {
      headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store"
    }).then(answer).then(function (result) {
      if (!adopt(result)) {
        return;
      }
      if (result.body.seconds_left <= 0) {
        ended();
      } else if (result.body.seconds_left <= warnAt) {
        if (state !== "warning") {
          show("warning");
        }
      } else {
        hide();
      }
    }).catch(function () {
      // Offline or the server is restarting: trust the page's own count.
      if (left() <= 0) {
        ended();
      } else if (state === "idle") {
        show("warning");
      }
    }).then(function () {
      checking = false;
    });
  }

  function extend() {
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(answer).then(function (result) {
      if (!adopt(result)) {
        return;
      }
      if (result.body.seconds_left <= warnAt) {
        show("maxed");  // the absolute limit: no more time to give
      } else {
        hide();
      }
    }).catch(function () {
      paint();  // try again with the same button
    });
  }

  function tick() {
    var seconds = left();
    if (state === "warning" || state === "maxed") {
      paint();
    }
    if (seconds <= 0) {
      check();
    } else if (seconds <= warnAt && state === "idle") {
      check();
    }
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      extend();
    });
  }
  dialog.querySelectorAll("[data-close]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (dialog.open) {
        dialog.close();
      }
    });
  });
  dialog.addEventListener("cancel", function (event) {
    // Escape while warned: the user is here, so the session goes on.
    if (state === "warning") {
      event.preventDefault();
      extend();
    }
  });
  timer = setInterval(tick, 1000);
  tick();
})();
