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
