// Restons in the browser, beyond HTMX: the installable app's service worker, the offline mark,
// the Copy buttons of Settings. An external file: the pages carry no inline script (CSP).
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* the app works without it */ });
    });
  }

  function mark() {
    document.documentElement.classList.toggle("offline", navigator.onLine === false);
  }
  window.addEventListener("online", mark);
  window.addEventListener("offline", mark);
  mark();

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field) return;
    field.select();
    var done = function () { button.textContent = "✓"; };
    if (navigator.clipboard) navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
    else { document.execCommand("copy"); done(); }
  });

  // Logging out forgets the pages kept for offline use: the next person on this browser sees none of them.
  document.addEventListener("submit", function (event) {
    if (event.target.classList && event.target.classList.contains("logout") && window.caches) {
      caches.delete("restons-pages");
    }
  });
})();
