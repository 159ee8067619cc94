// Count this page view for Trending Now. Sent after load, so cached pages are counted too.
(function () {
  var script = document.currentScript;
  var url = script && script.dataset.beacon;
  if (!url) return;
  function send() {
    if (navigator.sendBeacon) {
      navigator.sendBeacon(url);
    } else {
      fetch(url, { method: "POST", keepalive: true, credentials: "same-origin" });
    }
  }
  if (document.readyState === "complete") send();
  else window.addEventListener("load", send, { once: true });
})();
