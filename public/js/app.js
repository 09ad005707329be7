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

// A table wider than the screen (a phone), or longer than the window (its frame has a maximum height on
// wider screens), scrolls inside its .table-wrap. When nothing inside it can take focus, the wrapper itself
// becomes a named tab stop so keyboard users can scroll it with the arrow keys (WCAG 2.1.1); it stops being
// one when the window grows enough to show the whole table.
(function () {
  var FOCUSABLE =
    'a[href], summary, [tabindex], :is(button, input:not([type="hidden"]), select, textarea):not(:disabled)';
  function nameOf(wrap) {
    var caption = wrap.querySelector('caption');
    if (caption) return caption.textContent.trim();
    for (var node = wrap; node && node !== document.body; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) return prev.textContent.trim();
      }
    }
    return '';
  }
  // A table that runs past the screen's edge says so above it (the words come from the page's language).
  function hint(wrap, sideways) {
    var prev = wrap.previousElementSibling;
    var has = prev && prev.hasAttribute('data-scroll-hint');
    var words = document.body.getAttribute('data-scroll-hint');
    if (sideways && !has && words) {
      var note = document.createElement('p');
      note.className = 'scroll-hint';
      note.setAttribute('data-scroll-hint', '');
      note.setAttribute('aria-hidden', 'true');
      note.textContent = words;
      wrap.parentNode.insertBefore(note, wrap);
    } else if (!sideways && has) {
      prev.remove();
    }
  }
  function update() {
    Array.prototype.forEach.call(document.querySelectorAll('.table-wrap'), function (wrap) {
      hint(wrap, wrap.scrollWidth > wrap.clientWidth + 1);
      var ours = wrap.hasAttribute('data-scroll-stop');
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1 || wrap.scrollHeight > wrap.clientHeight + 1;
      if (scrolls && !ours && !wrap.querySelector(FOCUSABLE)) {
        var name = nameOf(wrap);
        wrap.setAttribute('tabindex', '0');
        wrap.setAttribute('data-scroll-stop', '');
        if (name) {
          wrap.setAttribute('role', 'region');
          wrap.setAttribute('aria-label', name);
        }
      } else if (!scrolls && ours) {
        ['tabindex', 'data-scroll-stop', 'role', 'aria-label'].forEach(function (attr) {
          wrap.removeAttribute(attr);
        });
      }
    });
  }
  var pending = null;
  document.addEventListener('DOMContentLoaded', update);
  window.addEventListener('resize', function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 150);
  });
})();

// The phone menu: the side navigation folds behind the header's menu button (CSS folds it only once this
// script has run, so without scripts the links stay in view). Escape closes it and returns to the button.
document.addEventListener('DOMContentLoaded', function () {
  var button = document.querySelector('[data-menu-toggle]');
  var nav = button && document.getElementById(button.getAttribute('aria-controls'));
  if (!nav) return;
  button.hidden = false;
  function set(open) {
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    nav.classList.toggle('is-open', open);
  }
  button.addEventListener('click', function () {
    set(button.getAttribute('aria-expanded') !== 'true');
  });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && button.getAttribute('aria-expanded') === 'true') {
      set(false);
      button.focus();
    }
  });
});

// Row density: a table toolbar's "Compact rows" switch. The choice holds for every table and is kept for the
// next pages (public/js/boot.js applies it before they are drawn).
document.addEventListener('DOMContentLoaded', function () {
  var root = document.documentElement;
  var switches = document.querySelectorAll('[data-density-toggle]');
  function render() {
    var compact = root.getAttribute('data-density') === 'compact';
    Array.prototype.forEach.call(switches, function (toggle) {
      toggle.setAttribute('aria-pressed', compact ? 'true' : 'false');
    });
  }
  Array.prototype.forEach.call(switches, function (toggle) {
    toggle.hidden = false;
    toggle.addEventListener('click', function () {
      var compact = root.getAttribute('data-density') !== 'compact';
      if (compact) root.setAttribute('data-density', 'compact');
      else root.removeAttribute('data-density');
      try {
        window.localStorage.setItem('sis-density', compact ? 'compact' : 'comfortable');
      } catch {
        // Storage blocked: the choice lasts for this page.
      }
      render();
    });
  });
  render();
});

// An import's page follows its job while it runs: it asks the page's own JSON every second, moves the bar
// and its words, and shows the report (the page again) once the job has finished. Without scripts the
// page says the user may come back, and a reload shows where the job stands.
document.addEventListener('DOMContentLoaded', function () {
  var holder = document.querySelector('[data-import-poll]');
  if (!holder) return;
  var url = holder.getAttribute('data-import-poll');
  var bar = holder.querySelector('progress');
  var words = holder.querySelector('[data-import-progress-text]');
  var template = holder.getAttribute('data-progress-template') || '';
  var lang = document.documentElement.lang || 'en';
  function later() {
    window.setTimeout(tick, 1000);
  }
  function tick() {
    window
      .fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        var job = body && body.data;
        if (!job) return later();
        if (job.status === 'succeeded' || job.status === 'failed') {
          window.location.reload();
          return;
        }
        bar.max = Math.max(job.progress.total, 1);
        bar.value = job.progress.done;
        if (words && template) {
          words.textContent = template
            .replace('{done}', job.progress.done.toLocaleString(lang))
            .replace('{total}', job.progress.total.toLocaleString(lang));
        }
        later();
      })
      .catch(later);
  }
  later();
});
