// Injected before any page script: records performance.now() (ms since navigation start)
// when the dashboard heading first exists and when the Blazor circuit's WebSocket
// has completed its SignalR handshake (first message received on /_blazor).
(() => {
  const marks = window.__uiBench = { heading: null, wsOpen: null, circuit: null };
  const seeHeading = () => {
    if (marks.heading !== null) return true;
    for (const h of document.querySelectorAll('h1')) {
      if (h.textContent.includes('Cluster overview')) { marks.heading = performance.now(); return true; }
    }
    return false;
  };
  new MutationObserver((_, obs) => { if (seeHeading()) obs.disconnect(); })
    .observe(document, { childList: true, subtree: true });
  const Native = window.WebSocket;
  window.WebSocket = function (url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    if (String(url).includes('_blazor')) {
      ws.addEventListener('open', () => { if (marks.wsOpen === null) marks.wsOpen = performance.now(); });
      ws.addEventListener('message', () => { if (marks.circuit === null) marks.circuit = performance.now(); });
    }
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
})();
