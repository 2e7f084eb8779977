// Keeps "in 2 hours, 5 minutes" next to a session's start current while the page is open.
(function () {
  "use strict";
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function describe(ms) {
    if (ms <= 0) return "started";
    var minutes = Math.floor(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var rest = minutes % 60;
    if (days > 0) return "in " + plural(days, "day") + (hours ? ", " + plural(hours, "hour") : "");
    if (hours > 0) return "in " + plural(hours, "hour") + (rest ? ", " + plural(rest, "minute") : "");
    return "in " + plural(Math.max(rest, 1), "minute");
  }
  function tick() {
    document.querySelectorAll("time[data-countdown]").forEach(function (el) {
      var at = Date.parse(el.getAttribute("datetime"));
      if (!isNaN(at)) el.textContent = describe(at - Date.now());
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 30000); });
})();
