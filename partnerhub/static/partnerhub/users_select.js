// Users page: select-all and the count of selected users (no inline script: CSP).
(() => {
  const boxes = () => [...document.querySelectorAll(".select-user")];
  const count = document.getElementById("bulk-count");
  const show = () => { count.textContent = boxes().filter(b => b.checked).length + " selected"; };
  document.getElementById("select-all").addEventListener("change", e => { boxes().forEach(b => { b.checked = e.target.checked; }); show(); });
  boxes().forEach(b => b.addEventListener("change", show));
})();
