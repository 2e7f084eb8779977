// The interview room while the page stays open (issue 11, item 4): flips the Join button
// live 10 minutes before the start and removes it at the end, and runs the interviewer's
// timer from the agenda. The page says the same things without JavaScript, as of its load.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var hours = Math.floor(seconds / 3600);
    var rest = pad(Math.floor((seconds % 3600) / 60)) + ":" + pad(seconds % 60);
    return hours > 0 ? hours + ":" + rest : rest;
  }
  function updateJoin(now) {
    var link = document.getElementById("join-link");
    if (!link) return;
    var opens = Date.parse(link.dataset.opens);
    var closes = Date.parse(link.dataset.closes);
    var waiting = document.getElementById("join-opens");
    if (now >= closes) {
      link.remove();
      if (waiting) waiting.textContent = "The session's time is over, so the Join button is gone.";
    } else if (now >= opens) {
      link.hidden = false;
      if (waiting) waiting.hidden = true;
    }
  }
  function updateTimer(now) {
    var timer = document.getElementById("room-timer");
    if (!timer) return;
    var items = document.querySelectorAll("#agenda li[data-start]");
    var first = items.length ? Date.parse(items[0].dataset.start) : NaN;
    if (now < first) {
      if (first - now <= 3600000) timer.textContent = "The session starts in " + clock(first - now) + ".";
      return;
    }
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var start = Date.parse(item.dataset.start);
      var end = Date.parse(item.dataset.end);
      var current = now >= start && now < end;
      if (current) item.setAttribute("aria-current", "step"); else item.removeAttribute("aria-current");
      if (current) {
        var times = item.querySelector(".agenda-time").textContent.split("–");
        timer.textContent = "Now: " + item.dataset.name + ", " + clock(end - now) +
          " left in this phase (until " + times[times.length - 1] + ").";
        return;
      }
    }
    timer.textContent = "The session's time is over.";
  }
  function tick() {
    var now = Date.now();
    updateJoin(now);
    updateTimer(now);
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 1000); });
})();
