// Progressive enhancement of the contribution form's district choice: a click on the map marks
// a point (hidden latitude/longitude fields) and chooses its district in the list. Without this
// script the list alone is the way. The server rounds the point and assigns the district itself.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function setUp(picker) {
    var form = picker.closest("form");
    var svg = picker.querySelector("svg");
    var select = form && form.querySelector("select[name=place_district]");
    var latitude = form && form.querySelector("input[name=latitude]");
    var longitude = form && form.querySelector("input[name=longitude]");
    if (!svg || !select || !latitude || !longitude) return;
    var status = picker.querySelector("[data-picker-status]");
    var clear = picker.querySelector("[data-picker-clear]");
    var west = parseFloat(svg.dataset.west), north = parseFloat(svg.dataset.north);
    var xScale = parseFloat(svg.dataset.xScale), yScale = parseFloat(svg.dataset.yScale);
    var marker = document.createElementNS(SVG, "circle");
    marker.setAttribute("r", "8");
    marker.setAttribute("class", "district-map__point district-map__point--chosen");
    marker.setAttribute("aria-hidden", "true");

    function show(x, y) {
      marker.setAttribute("cx", x);
      marker.setAttribute("cy", y);
      if (!marker.parentNode) svg.appendChild(marker);
    }

    function place(x, y, link) {
      show(x, y);
      longitude.value = (west + x / xScale).toFixed(5);
      latitude.value = (north - y / yScale).toFixed(5);
      if (link) select.value = link.dataset.district;
      var name = select.options[select.selectedIndex] ? select.options[select.selectedIndex].text : "";
      status.textContent = picker.dataset.placedText.replace("{district}", name);
      clear.hidden = false;
    }

    function remove() {
      if (marker.parentNode) marker.parentNode.removeChild(marker);
      latitude.value = "";
      longitude.value = "";
      status.textContent = picker.dataset.removedText;
      clear.hidden = true;
    }

    svg.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-district]");
      if (!link) return;
      event.preventDefault();
      var matrix = svg.getScreenCTM();
      if (event.detail === 0 || !matrix) {
        // Keyboard activation: choose the district, place no point.
        select.value = link.dataset.district;
        remove();
        return;
      }
      var point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
      place(point.x, point.y, link);
    });
    clear.addEventListener("click", remove);
    select.addEventListener("change", function () {
      if (latitude.value) remove();
    });
    if (latitude.value && longitude.value) {
      show((parseFloat(longitude.value) - west) * xScale, (north - parseFloat(latitude.value)) * yScale);
      clear.hidden = false;
    }
    picker.hidden = false;
  }

  document.querySelectorAll("[data-district-picker]").forEach(setUp);
})();
