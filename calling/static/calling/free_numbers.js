// Free-number pickers: offer the numbers of the location now chosen (no inline script: CSP).
// Without this script the page offers the numbers of the location it was shown with.
(() => {
  document.querySelectorAll("input[data-location-input]").forEach(input => {
    const select = document.getElementById(input.dataset.locationInput);
    if (!select) return;
    const follow = () => {
      const list = document.getElementById(`${input.id}-free-${select.value}`);
      if (list) input.setAttribute("list", list.id); else input.removeAttribute("list");
    };
    select.addEventListener("change", follow);
    follow();
  });
})();
