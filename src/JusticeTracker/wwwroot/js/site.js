// Progressive enhancement only: every form works without this file.
// After a refused form or a conflict, move the focus to the box that explains it, so screen
// readers announce it and keyboard users start there.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".conflict, .error-summary");
  if (summary) {
    summary.focus();
  }
});

// Charts come as SVG from the server, with an SVG download link. Where scripts run, each chart
// also offers a PNG, drawn from the same SVG in the browser, for pasting into documents.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("figure.chart").forEach((figure) => {
    const svg = figure.querySelector("svg");
    const caption = figure.querySelector("figcaption");
    if (!svg || !caption) {
      return;
    }

    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = caption.dataset.png || "PNG";
    button.addEventListener("click", () => {
      const width = svg.viewBox.baseVal.width;
      const height = svg.viewBox.baseVal.height;
      const image = new Image();
      image.onload = () => {
        const canvas = document.createElement("canvas");
        canvas.width = width * 2;
        canvas.height = height * 2;
        const context = canvas.getContext("2d");
        context.scale(2, 2);
        context.drawImage(image, 0, 0, width, height);
        canvas.toBlob((blob) => {
          const link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = `justicetracker-${figure.dataset.chart}.png`;
          link.click();
          setTimeout(() => URL.revokeObjectURL(link.href), 1000);
        }, "image/png");
      };
      const xml = new XMLSerializer().serializeToString(svg);
      image.src = "data:image/svg+xml;base64," + btoa(unescape(encodeURIComponent(xml)));
    });
    caption.append(" ", button);
  });
});
