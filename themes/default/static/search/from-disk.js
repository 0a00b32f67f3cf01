// Shows the search page's note on how to serve the site when the page was opened from disk
// (file://): browsers do not run the search module there, so without this the page would
// show an empty form and nothing else. A classic script, not a module, because a module is
// exactly what a file:// page cannot load; it only unhides a note written in the page.
(function () {
  if (window.location.protocol !== "file:") return;
  var note = document.getElementById("search-from-disk");
  if (note) note.hidden = false;
})();
