// Progressive enhancement only: every form works without this file.
// After a refused form or a conflict, move the focus to the box that explains it, so screen
// readers announce it and keyboard users start there.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".conflict, .error-summary");
  if (summary) {
    summary.focus();
  }
});
