// Upgrades each street-map figure (templates/maps/street_map.html) to a MapLibre map of the
// portal's own vector tiles: the style, the tiles and the map library all come from this
// origin, so no third party sees the visit. On any failure (no WebGL, no tiles) the figure
// stays hidden and the page keeps its SVG district map.
const figures = [...document.querySelectorAll("[data-street-map]:not([data-street-map-ready])")];

function addStylesheet(href) {
  if (document.querySelector(`link[href="${href}"]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  document.head.append(link);
}

function labels(data) {
  return {
    "Map.Title": data.labelMap,
    "NavigationControl.ZoomIn": data.labelZoomIn,
    "NavigationControl.ZoomOut": data.labelZoomOut,
    "NavigationControl.ResetBearing": data.labelResetBearing,
    "CooperativeGesturesHandler.WindowsHelpText": data.labelCtrlScroll,
    "CooperativeGesturesHandler.MacHelpText": data.labelCmdScroll,
    "CooperativeGesturesHandler.MobileHelpText": data.labelTwoFingers,
  };
}

async function showStreetMap(figure, maplibregl, protocol) {
  const data = figure.dataset;
  const tilesUrl = new URL(data.tilesUrl, document.baseURI).href;
  const archive = new pmtiles.PMTiles(tilesUrl);
  protocol.add(archive);
  const [header, style] = await Promise.all([
    archive.getHeader(),
    fetch(data.styleUrl).then((response) => response.json()),
  ]);
  for (const source of Object.values(style.sources)) {
    source.url = `pmtiles://${tilesUrl}`;
  }
  // Some tools write no bounds (all zero): then the map is not confined to them.
  const bounds =
    header.minLon < header.maxLon && header.minLat < header.maxLat
      ? [
          [header.minLon, header.minLat],
          [header.maxLon, header.maxLat],
        ]
      : undefined;
  let view = { center: [header.centerLon, header.centerLat], zoom: header.centerZoom };
  if (data.center) {
    view = { center: data.center.split(",").map(Number), zoom: Number(data.zoom || 13) };
  } else if (bounds) {
    view = { bounds }; // the whole area of the file: the city
  }
  figure.hidden = false;
  const map = new maplibregl.Map({
    container: figure.querySelector(".street-map__canvas"),
    style,
    ...view,
    // Below the file's lowest zoom there is nothing to draw (a narrow phone would fit the
    // whole area at a lower one).
    minZoom: header.minZoom,
    maxBounds: bounds,
    // The figure's caption names the data's authors and licence.
    attributionControl: false,
    cooperativeGestures: true,
    locale: labels(data),
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.once("load", () => figure.setAttribute("data-street-map-ready", ""));
  map.on("error", (event) => console.warn("Street map:", event.error));
}

if (figures.length) {
  const first = figures[0].dataset;
  try {
    addStylesheet(first.stylesheetUrl);
    const maplibregl = await import(first.maplibreUrl);
    maplibregl.setWorkerUrl(first.workerUrl);
    const protocol = new pmtiles.Protocol();
    maplibregl.addProtocol("pmtiles", protocol.tile);
    for (const figure of figures) {
      await showStreetMap(figure, maplibregl, protocol).catch((error) => {
        figure.hidden = true;
        console.warn("Street map not shown:", error);
      });
    }
  } catch (error) {
    console.warn("Street map not shown:", error);
  }
}
