/* Client-side expiry: the build renders each page's review notice (hidden while the page is fresh) and dashboard
   rows with a data-review-expires date. Once the reader's own date is past it, show the notice and mark the row
   overdue, so a page that expires after the build still warns its readers. */
(function () {
  "use strict";

  // The reader's local date as YYYY-MM-DD, comparable as text with the dates the build wrote.
  function localDate(now) {
    var month = String(now.getMonth() + 1).padStart(2, "0");
    var day = String(now.getDate()).padStart(2, "0");
    return now.getFullYear() + "-" + month + "-" + day;
  }

  var today = localDate(new Date());
  document.querySelectorAll("[data-review-expires]").forEach(function (element) {
    if (today <= element.getAttribute("data-review-expires")) {
      return;
    }
    element.setAttribute("data-review-status", "overdue");
    element.querySelectorAll("[data-review-notice]").forEach(function (notice) {
      notice.hidden = false;
    });
    element.querySelectorAll("[data-review-status-text]").forEach(function (label) {
      label.textContent = "Overdue";
    });
  });
})();
