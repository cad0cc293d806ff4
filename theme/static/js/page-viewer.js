// The printed page's deep-zoom view (theme/templates/partials/page_image.html).
//
// Without this script the page is an <img srcset> with the article areas drawn over it
// as SVG links. With it, OpenSeadragon (copied at build time from the pinned npm
// package) shows the same page from its static IIIF level-0 tiles: pinch or wheel to
// zoom, drag to move, the buttons, or the keyboard on the focused page (+ − 0 and the
// arrows). The SVG with the links becomes an OpenSeadragon overlay, so the links keep
// their reading order, their headlines as accessible names and their outlines, at any
// zoom. A link to the page with #area-<slug> (from an article page or a search result)
// zooms to that article and outlines it (:target).
(function () {
  "use strict";
  const box = document.querySelector("[data-page-viewer]");
  if (!box || typeof OpenSeadragon !== "function" || !window.fetch) return;
  const width = Number(box.dataset.width);
  const height = Number(box.dataset.height);
  const sheet = box.querySelector(".page-sheet");
  const areas = box.querySelector(".page-areas");
  const tools = document.querySelector("[data-page-tools]");
  if (!width || !height || !sheet || !areas) return;

  // OpenSeadragon adds an inline <style> unless one marked data-openseadragon-mobile-css
  // is there; the site's CSP forbids inline styles (the browser would refuse it and log
  // an error). An element of that name outside the HTML and SVG namespaces matches the
  // library's check and is no style sheet at all.
  if (!document.querySelector("style[data-openseadragon-mobile-css]")) {
    const marker = document.createElementNS("urn:x-newsroom:inert", "style");
    marker.setAttribute("data-openseadragon-mobile-css", "provided-by-site-css");
    document.head.appendChild(marker);
  }

  const infoUrl = new URL(box.dataset.info, location.href);
  fetch(infoUrl, { credentials: "same-origin" })
    .then((response) => {
      if (!response.ok) throw new Error(`${infoUrl}: HTTP ${response.status}`);
      return response.json();
    })
    .then(start)
    .catch((error) => console.warn("page viewer: staying with the still image:", error));

  function start(info) {
    // info.json names the public address; the tiles are read from wherever this page is
    // served (a preview, a mirror), beside the info.json just read.
    info.id = infoUrl.href.replace(/\/info\.json$/, "");
    const stage = document.createElement("div");
    stage.className = "page-stage";
    stage.style.aspectRatio = `${width} / ${height}`;
    box.insertBefore(stage, sheet);
    const viewer = OpenSeadragon({
      element: stage,
      tileSources: info,
      drawer: "canvas",  // 2D canvas: WebGL gains nothing for one page and is missing on some phones
      showNavigationControl: false,
      showNavigator: false,
      visibilityRatio: 0.5,
      maxZoomPixelRatio: 2,
      animationTime: 0.4,
      crossOriginPolicy: false,
      preserveViewport: true,
      // A click or tap on an article follows its link; zoom is the wheel, a pinch,
      // a double click or the buttons.
      gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true, scrollToZoom: true },
      gestureSettingsTouch: { clickToZoom: false, dblClickToZoom: true, pinchToZoom: true, flickEnabled: true },
      gestureSettingsPen: { clickToZoom: false },
    });
    viewer.canvas.setAttribute("role", "application");
    viewer.canvas.setAttribute("aria-roledescription", "可缩放的版面图");
    viewer.canvas.setAttribute("aria-label", "版面图：加号放大，减号缩小，方向键移动，0 键看整版");

    viewer.addHandler("open", () => {
      areas.classList.add("in-viewer");
      // Inside the viewer Chromium makes the <svg> itself a Tab stop before its links;
      // only the links (the articles, in reading order) should be.
      areas.setAttribute("tabindex", "-1");
      viewer.addOverlay({ element: areas, location: new OpenSeadragon.Rect(0, 0, 1, height / width) });
      sheet.hidden = true;
      box.classList.add("is-zoomable");
      if (tools) tools.hidden = false;
      if (showTarget(false)) stage.scrollIntoView({ block: "start" });
    });

    // Enter on a focused article follows its link: OpenSeadragon's keyboard handling on
    // the canvas around the links would otherwise swallow it.
    areas.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target.closest("a")) event.stopPropagation();
    });

    // OpenSeadragon captures the pointer when it goes down on the page (to pan it), so
    // the browser's own click lands on the canvas, not on the article's link. A press
    // that starts on an article and ends without moving the page (OpenSeadragon's "quick"
    // click) follows that article's link; a drag just moves the page.
    let pressed = null;
    let followed = 0;
    areas.addEventListener("pointerdown", (event) => { pressed = event.target.closest("a"); }, true);
    viewer.addHandler("canvas-press", (event) => {
      if (!areas.contains(event.originalEvent.target)) pressed = null;
    });
    viewer.addHandler("canvas-click", (event) => {
      const link = pressed;
      pressed = null;
      if (!event.quick || !link) return;
      event.preventDefaultAction = true;
      followed = performance.now();
      const original = event.originalEvent;
      if (original.ctrlKey || original.metaKey || original.shiftKey) window.open(link.getAttribute("href"));
      else location.assign(link.getAttribute("href"));
    });
    // A click the browser does deliver to a link (Enter on a focused article, or a click
    // without pointer capture) is the link's alone: OpenSeadragon's handler on the canvas
    // around it would cancel it; and one already followed above is not followed twice.
    areas.addEventListener("click", (event) => {
      if (performance.now() - followed < 1000) event.preventDefault();
      event.stopPropagation();
    });

    function boundsOf(link) {
      const parts = (link.dataset.area || "").split(" ").filter(Boolean).map((part) => part.split(",").map(Number));
      if (!parts.length) return null;
      const left = Math.min(...parts.map((p) => p[0]));
      const top = Math.min(...parts.map((p) => p[1]));
      const right = Math.max(...parts.map((p) => p[0] + p[2]));
      const bottom = Math.max(...parts.map((p) => p[1] + p[3]));
      return viewer.viewport.imageToViewportRectangle(left, top, right - left, bottom - top);
    }

    function showTarget(animate) {
      const id = decodeURIComponent(location.hash.slice(1));
      const link = id && document.getElementById(id);
      if (!link || !areas.contains(link)) return false;
      const bounds = boundsOf(link);
      if (!bounds) return false;
      const margin = Math.max(bounds.width, bounds.height) * 0.08;
      viewer.viewport.fitBoundsWithConstraints(
        new OpenSeadragon.Rect(bounds.x - margin, bounds.y - margin, bounds.width + 2 * margin, bounds.height + 2 * margin),
        !animate);
      return true;
    }
    window.addEventListener("hashchange", () => showTarget(true));

    // Tabbing through the articles while zoomed in brings each one into view.
    areas.addEventListener("focusin", (event) => {
      const link = event.target.closest("a");
      if (!link) return;
      const bounds = boundsOf(link);
      const seen = viewer.viewport.getBounds();
      if (bounds && !(bounds.x >= seen.x && bounds.y >= seen.y && bounds.x + bounds.width <= seen.x + seen.width
          && bounds.y + bounds.height <= seen.y + seen.height)) {
        viewer.viewport.panTo(new OpenSeadragon.Point(bounds.x + bounds.width / 2, bounds.y + bounds.height / 2));
      }
    });

    if (tools) {
      const full = tools.querySelector("[data-zoom=full]");
      tools.addEventListener("click", (event) => {
        const button = event.target.closest("button[data-zoom]");
        if (!button) return;
        const action = button.dataset.zoom;
        if (action === "in") viewer.viewport.zoomBy(1.6);
        else if (action === "out") viewer.viewport.zoomBy(1 / 1.6);
        else if (action === "home") viewer.viewport.goHome();
        else if (action === "full") viewer.setFullPage(!viewer.isFullPage());
        viewer.viewport.applyConstraints();
      });
      viewer.addHandler("full-page", (event) => {
        if (full) full.setAttribute("aria-pressed", String(event.fullPage));
        // The buttons stay on screen in the full-page view.
        if (event.fullPage) viewer.container.appendChild(tools);
        else box.parentNode.insertBefore(tools, box);
        tools.classList.toggle("is-floating", event.fullPage);
      });
    }
  }
})();
