// The receipt's Print button (a script file: the Content-Security-Policy
// allows no inline script).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-loans-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
