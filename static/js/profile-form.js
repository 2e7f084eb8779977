// Sign-up and profile forms: pre-fill the time zone from the browser, and show only the
// sections of the chosen role. Without JavaScript every section shows and the server
// still checks everything.
(function () {
  "use strict";
  const zone = document.querySelector('input[name="time_zone"]');
  if (zone && !zone.value) {
    try {
      zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      // An old browser without Intl time zones: the user types it.
    }
  }
  const radios = document.querySelectorAll('input[name="role"]');
  const sections = document.querySelectorAll(".role-section");
  function sync() {
    const checked = document.querySelector('input[name="role"]:checked');
    const role = checked ? checked.value : null;
    sections.forEach(function (section) {
      const wanted = section.dataset.role;
      const show = role === null ? false : role === "both" || role === wanted;
      section.hidden = !show && !section.dataset.always;
    });
  }
  if (radios.length && radios[0].type === "radio") {
    radios.forEach(function (radio) { radio.addEventListener("change", sync); });
    sync();
  }
})();
