// Runs before decap-cms.js (a classic script, so that what it sets is in place before Decap
// makes its first request): the desk starts Decap itself (desk.js), after the editor has
// signed in and the custom format and widgets are registered.
window.CMS_MANUAL_INIT = true;

// Every load of the desk's page is a tab of its own: its id goes with each request to the
// desk's server (Decap's and the desk's own), which keeps the version each tab opened, so
// that a save from a tab that opened an older version is refused (presence.py).
(function () {
  const random = () => (window.crypto && crypto.randomUUID ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`);
  const tab = random();
  window.newsroomTab = tab;
  const pageFetch = window.fetch.bind(window);
  window.fetch = function (resource, options) {
    const url = new URL(resource instanceof Request ? resource.url : String(resource), location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith("/desk/api/")) return pageFetch(resource, options);
    const headers = new Headers((options && options.headers) || (resource instanceof Request ? resource.headers : undefined));
    headers.set("X-Desk-Tab", tab);
    return pageFetch(resource, { ...(options || {}), headers }).catch(error => {
      // No answer at all (the desk was stopped): say so in the editor's words; the form
      // keeps its text (Decap shows this message in its notice).
      if (!window.newsroomUnreachable) throw error;
      const unreachable = new Error(window.newsroomUnreachable);
      unreachable.name = "API_ERROR";
      throw unreachable;
    });
  };
})();

// Leaving the page (closing the tab, reloading, another address typed): the browser asks
// with its own words only (no page may set them). Where the desk itself leaves the page
// after asking in its own words (signing out, restoring a version), it sets
// newsroomLeaving, and Decap's question (registered after this one) is not asked again.
window.newsroomLeaving = false;
window.addEventListener("beforeunload", event => {
  if (window.newsroomLeaving) event.stopImmediatePropagation();
});

// Decap shows a failed request's error in its notice as `${error}`: its API errors are
// named API_ERROR, which would open the desk's Chinese message with "API_ERROR: ". The
// message is the editor's; the name is for programmers.
(function () {
  const errorText = Error.prototype.toString;
  Error.prototype.toString = function () {
    return this && this.name === "API_ERROR" && this.message ? String(this.message) : errorText.call(this);
  };
})();

// A refused save ends, in Decap, with a promise rejected by its ENTRY_PERSIST_FAILURE action
// that nothing handles: the editor has been told already (the notice), and the form keeps
// its text; the page's console need not add an "Uncaught (in promise)" error.
window.addEventListener("unhandledrejection", event => {
  if (event.reason && event.reason.type === "ENTRY_PERSIST_FAILURE") event.preventDefault();
});
