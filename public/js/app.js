// Progressive enhancement only: the pages work without it.
document.addEventListener('submit', function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) event.preventDefault();
});
document.addEventListener('DOMContentLoaded', function () {
  // Move focus to the first field in error so keyboard and screen-reader users land on it.
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();
});

// Pages that update by themselves (the cluster page): reload every N seconds unless the user paused it
// (WCAG 2.2.1: a time limit the user can stop). The choice is remembered for the tab.
document.addEventListener('DOMContentLoaded', function () {
  var holder = document.querySelector('[data-auto-refresh]');
  if (!holder) return;
  var seconds = Number(holder.getAttribute('data-auto-refresh')) || 5;
  var toggle = holder.querySelector('[data-refresh-toggle]');
  var paused = window.sessionStorage.getItem('sis-refresh-paused') === '1';
  var timer = null;
  function render() {
    if (toggle) {
      toggle.textContent = toggle.getAttribute(paused ? 'data-resume-label' : 'data-pause-label');
      toggle.setAttribute('aria-pressed', paused ? 'true' : 'false');
    }
    window.clearTimeout(timer);
    if (!paused)
      timer = window.setTimeout(function () {
        window.location.reload();
      }, seconds * 1000);
  }
  if (toggle) {
    toggle.addEventListener('click', function () {
      paused = !paused;
      window.sessionStorage.setItem('sis-refresh-paused', paused ? '1' : '0');
      render();
    });
  }
  render();
});

// Print buttons (the class roster): shown only when there is a script to act on them.
document.addEventListener('DOMContentLoaded', function () {
  var buttons = document.querySelectorAll('[data-print]');
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      window.print();
    });
  });
});
